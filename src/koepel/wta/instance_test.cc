#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ParseWtaInstanceTest, ReadsEveryField) {
  const auto r = ParseWtaInstance("# a comment\n\nWTA 1\n2 3\n10 20 30.5\n1 2\n0 1.5\n0.5 0 1\n0.25 0.75 0\n", "t.wta");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  EXPECT_EQ(r->weapons, 2);
  EXPECT_EQ(r->targets, 3);
  EXPECT_EQ(r->value, std::vector<double>({10, 20, 30.5}));
  EXPECT_EQ(r->magazine, std::vector<int>({1, 2}));
  EXPECT_EQ(r->cost, std::vector<double>({0, 1.5}));
  EXPECT_EQ(r->pk, std::vector<double>({0.5, 0, 1, 0.25, 0.75, 0}));
  EXPECT_DOUBLE_EQ(r->p(1, 1), 0.75);
}

// Every public instance parses with the dimensions that reference.csv lists for it.
TEST(ParseWtaInstanceTest, EveryPublicInstanceParses) {
  const std::string root = std::string(KOEPEL_SHARED_DATA) + "/wta";
  std::map<std::string, std::pair<int, int>> dims;
  {
    std::ifstream in(root + "/reference.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::string name, w, t;
      std::getline(ss, name, ',');
      std::getline(ss, w, ',');
      std::getline(ss, t, ',');
      dims[name] = {std::stoi(w), std::stoi(t)};
    }
  }
  ASSERT_FALSE(dims.empty());
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/instances")) {
    if (entry.path().extension() != ".wta") continue;
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    const auto r = ParseWtaInstance(ReadFile(entry.path()), entry.path().string());
    ASSERT_TRUE(r.has_value()) << r.status().ToString();
    ASSERT_TRUE(dims.count(name));
    EXPECT_EQ(r->weapons, dims[name].first);
    EXPECT_EQ(r->targets, dims[name].second);
    EXPECT_EQ(r->pk.size(), static_cast<size_t>(r->weapons) * static_cast<size_t>(r->targets));
    ++files;
  }
  EXPECT_EQ(files, static_cast<int>(dims.size()));
}

struct Malformed {
  const char* text;
  const char* location;  // "bad.wta:LINE:"
  const char* says;      // a phrase of the message
};

class MalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedTest, IsRejectedWithALocatedMessage) {
  const Malformed& m = GetParam();
  const auto r = ParseWtaInstance(m.text, "bad.wta");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.error().message().rfind(m.location, 0), 0u) << r.error().message();
  EXPECT_NE(r.error().message().find(m.says), std::string::npos) << r.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedTest,
    ::testing::Values(
        Malformed{"", "bad.wta:1:", "no magic line"},
        Malformed{"# only a comment\n", "bad.wta:1:", "no magic line"},
        Malformed{"# c\nWTX 1\n", "bad.wta:2:", "magic line"},
        Malformed{"WTA 2\n1 1\n1\n1\n0\n0.5\n", "bad.wta:1:", "version"},
        Malformed{"WTA 1\n0 3\n", "bad.wta:2:", "must be positive"},
        Malformed{"WTA 1\nx 3\n", "bad.wta:2:", "W (number of weapons)"},
        Malformed{"WTA 1\n1 2\n10 abc\n1\n0\n0.5 0.5\n", "bad.wta:3:", "V_2"},
        Malformed{"WTA 1\n1 1\n10\n1.5\n0\n0.5\n", "bad.wta:4:", "integer for m_1"},
        Malformed{"WTA 1\n1 1\n10\n-1\n0\n0.5\n", "bad.wta:4:", "m_1 must not be negative"},
        Malformed{"WTA 1\n1 1\n10\n1\n-2\n0.5\n", "bad.wta:5:", "c_1"},
        Malformed{"WTA 1\n2 2\n10 10\n1 1\n0 0\n0.5 0.5\n0.5 1.2\n", "bad.wta:7:", "p_2,2"},
        Malformed{"WTA 1\n2 2\n10 10\n1 1\n0 0\n0.5 0.5\n0.5\n", "bad.wta:7:", "ends early"},
        Malformed{"WTA 1\n1 1\n10\n1\n0\n0.5\n7\n", "bad.wta:7:", "trailing"},
        Malformed{"WTA 1\n1 1\n10\n1\n0\n0.5\n# late\n", "bad.wta:7:", "trailing"},
        Malformed{"WTA 1\n1 1\nnan\n1\n0\n0.5\n", "bad.wta:3:", "V_1"},
        Malformed{"WTA 1\n100000 100000\n1 2 3\n", "bad.wta:3:", "ends early"}));

}  // namespace
}  // namespace koepel::wta
