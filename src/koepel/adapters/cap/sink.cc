// The WarningSink that records CAP files.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "koepel/adapters/cap/cap.h"

namespace koepel::adapters::cap {

Result<DirectorySink> DirectorySink::Open(const std::filesystem::path& directory, CapOptions options,
                                          std::vector<NamedRegion> regions) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec || !std::filesystem::is_directory(directory)) {
    return UnavailableError("CAP directory " + directory.string() + ": " +
                            (ec ? ec.message() : std::string("not a directory")));
  }
  return DirectorySink(directory, CapEncoder(std::move(options), std::move(regions)));
}

void DirectorySink::Emit(const Warning& warning) {
  auto keep = [&](const Status& s) {
    if (first_error_.ok()) first_error_ = s;
  };
  auto message = encoder_.Encode(warning);
  if (!message) return keep(message.error());
  auto xml = ToXml(*message);
  if (!xml) return keep(xml.error().WithContext("warning " + warning.id.ToString() + ": "));
  // Identifiers hold only [A-Za-z0-9._-] (the encoder makes them so): safe as file names.
  const std::filesystem::path path = directory_ / (message->identifier + ".xml");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(xml->data(), static_cast<std::streamsize>(xml->size()));
  out.close();
  if (!out) return keep(UnavailableError("CAP file " + path.string() + ": " + std::strerror(errno)));
  files_.push_back(path);
}

}  // namespace koepel::adapters::cap
