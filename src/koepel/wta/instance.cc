// Parser for the static WTA instance format (../shared/data/wta/README.md):
//   # comment lines (only before the magic line)
//   WTA 1
//   W T
//   V_1 .. V_T
//   m_1 .. m_W
//   c_1 .. c_W
//   W rows of T kill probabilities
// After the magic line numbers are whitespace separated; errors name file:line and the field.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

struct Token {
  std::string_view text;
  int line;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

class Reader {
 public:
  Reader(std::vector<Token> tokens, const std::string& file, int last_line)
      : tokens_(std::move(tokens)), file_(file), last_line_(last_line) {}

  size_t remaining() const { return tokens_.size() - pos_; }
  int line() const { return pos_ < tokens_.size() ? tokens_[pos_].line : last_line_; }

  Status Error(int line, const std::string& what) const {
    return InvalidArgumentError(file_ + ":" + std::to_string(line) + ": " + what);
  }

  Result<int> Int(const std::string& field) {
    if (pos_ >= tokens_.size()) return Error(last_line_, "unexpected end of file: expected " + field);
    const Token t = tokens_[pos_++];
    int v = 0;
    const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size()) {
      return Error(t.line, "expected an integer for " + field + ", found '" + std::string(t.text.substr(0, 32)) + "'");
    }
    return v;
  }

  Result<double> Number(const std::string& field, double lo, double hi) {
    if (pos_ >= tokens_.size()) return Error(last_line_, "unexpected end of file: expected " + field);
    const Token t = tokens_[pos_++];
    double v = 0.0;
    const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size() || !std::isfinite(v)) {
      return Error(t.line, "expected a number for " + field + ", found '" + std::string(t.text.substr(0, 32)) + "'");
    }
    if (v < lo || v > hi) {
      return Error(t.line, field + " = " + std::string(t.text) + " is outside [" + Format(lo) + ", " + Format(hi) + "]");
    }
    return v;
  }

  Status ExpectEnd() const {
    if (pos_ < tokens_.size()) {
      return Error(tokens_[pos_].line,
                   "unexpected trailing data '" + std::string(tokens_[pos_].text.substr(0, 32)) + "'");
    }
    return OkStatus();
  }

 private:
  static std::string Format(double x) {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    std::string s = std::to_string(x);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const std::string& file_;
  int last_line_;
};

}  // namespace

Result<WtaProblem> ParseWtaInstance(std::string_view text, const std::string& file) {
  // Header: comment and blank lines, then the magic line.
  int line_no = 0;
  size_t at = 0;
  bool found_magic = false;
  while (at < text.size()) {
    const size_t eol = text.find('\n', at);
    const std::string_view raw = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    at = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_no;
    size_t b = 0;
    while (b < raw.size() && IsSpace(raw[b])) ++b;
    size_t e = raw.size();
    while (e > b && IsSpace(raw[e - 1])) --e;
    const std::string_view line = raw.substr(b, e - b);
    if (line.empty() || line.front() == '#') continue;
    // The magic line: "WTA" and the version, separated by whitespace.
    size_t sp = 0;
    while (sp < line.size() && !IsSpace(line[sp])) ++sp;
    const std::string_view word = line.substr(0, sp);
    size_t vb = sp;
    while (vb < line.size() && IsSpace(line[vb])) ++vb;
    const std::string_view version = line.substr(vb);
    if (word != "WTA") {
      return InvalidArgumentError(file + ":" + std::to_string(line_no) + ": expected the magic line 'WTA 1', found '" +
                                  std::string(line.substr(0, 32)) + "'");
    }
    if (version != "1") {
      return InvalidArgumentError(file + ":" + std::to_string(line_no) + ": unsupported format version '" +
                                  std::string(version.substr(0, 16)) + "' (expected 1)");
    }
    found_magic = true;
    break;
  }
  if (!found_magic) {
    return InvalidArgumentError(file + ":" + std::to_string(std::max(line_no, 1)) +
                                ": no magic line 'WTA 1' (empty file or only comments)");
  }

  // Body: whitespace-separated tokens with their line numbers. Comments are not allowed here.
  std::vector<Token> tokens;
  ++line_no;
  int last_line = line_no;
  size_t i = at;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line_no;
      ++i;
      continue;
    }
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    tokens.push_back({text.substr(start, i - start), line_no});
    last_line = line_no;
  }
  Reader in(std::move(tokens), file, last_line);

  WtaProblem pr;
  const int dims_line = in.line();
  KOEPEL_ASSIGN_OR_RETURN(pr.weapons, in.Int("W (number of weapons)"));
  KOEPEL_ASSIGN_OR_RETURN(pr.targets, in.Int("T (number of targets)"));
  if (pr.weapons <= 0 || pr.targets <= 0) {
    return in.Error(dims_line, "W and T must be positive, found " + std::to_string(pr.weapons) + " x " +
                                   std::to_string(pr.targets));
  }
  // Check the count before allocating, so a huge W x T in a short file cannot exhaust memory.
  const size_t needed = static_cast<size_t>(pr.targets) + 2 * static_cast<size_t>(pr.weapons) +
                        static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets);
  if (in.remaining() < needed) {
    return in.Error(last_line, "file ends early: " + std::to_string(pr.weapons) + " x " + std::to_string(pr.targets) +
                                   " needs " + std::to_string(needed) + " numbers after 'W T', found " +
                                   std::to_string(in.remaining()));
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  pr.value.resize(static_cast<size_t>(pr.targets));
  for (int j = 0; j < pr.targets; ++j) {
    KOEPEL_ASSIGN_OR_RETURN(pr.value[static_cast<size_t>(j)], in.Number("V_" + std::to_string(j + 1), 0.0, kInf));
  }
  pr.magazine.resize(static_cast<size_t>(pr.weapons));
  for (int w = 0; w < pr.weapons; ++w) {
    const int line = in.line();
    KOEPEL_ASSIGN_OR_RETURN(pr.magazine[static_cast<size_t>(w)], in.Int("m_" + std::to_string(w + 1)));
    if (pr.magazine[static_cast<size_t>(w)] < 0) {
      return in.Error(line, "m_" + std::to_string(w + 1) + " must not be negative");
    }
  }
  pr.cost.resize(static_cast<size_t>(pr.weapons));
  for (int w = 0; w < pr.weapons; ++w) {
    KOEPEL_ASSIGN_OR_RETURN(pr.cost[static_cast<size_t>(w)], in.Number("c_" + std::to_string(w + 1), 0.0, kInf));
  }
  pr.pk.resize(static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets));
  size_t k = 0;
  for (int w = 0; w < pr.weapons; ++w) {
    for (int j = 0; j < pr.targets; ++j) {
      KOEPEL_ASSIGN_OR_RETURN(pr.pk[k++],
                              in.Number("p_" + std::to_string(w + 1) + "," + std::to_string(j + 1), 0.0, 1.0));
    }
  }
  KOEPEL_RETURN_IF_ERROR(in.ExpectEnd());
  return pr;
}

}  // namespace koepel::wta
