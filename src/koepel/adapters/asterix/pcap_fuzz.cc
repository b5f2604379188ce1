// Feeds arbitrary bytes to the pcap reader and to DecodeFile.
// Invariants: no crash; every error starts with "byte N:" with N <= size; payloads lie
// inside the input; writing the datagrams read and reading them back gives the same datagrams.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "koepel/adapters/asterix/asterix.h"

namespace asterix = koepel::adapters::asterix;

namespace {

void CheckError(const koepel::Status& status, size_t size) {
  const std::string& m = status.message();
  if (m.rfind("byte ", 0) != 0) __builtin_trap();
  if (std::strtoull(m.c_str() + 5, nullptr, 10) > size) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  std::vector<asterix::UdpDatagram> good;
  for (const auto& d : asterix::ReadPcap(bytes)) {
    if (!d.has_value()) {
      CheckError(d.error(), size);
      continue;
    }
    if (d->offset > size || d->payload.size() > size - d->offset) __builtin_trap();
    if (d->time_ns >= 0 && d->time_ns / 1000 / 1'000'000 <= 0xFFFFFFFFLL) good.push_back(*d);
  }
  const std::vector<uint8_t> written = asterix::WritePcap(good);
  const auto again = asterix::ReadPcap(written);
  if (again.size() != good.size()) __builtin_trap();
  for (size_t i = 0; i < good.size(); ++i) {
    if (!again[i].has_value()) __builtin_trap();
    const asterix::UdpDatagram& x = good[i];
    const asterix::UdpDatagram& y = *again[i];
    if (x.payload != y.payload || x.src_port != y.src_port || x.dst_port != y.dst_port || x.src_ip != y.src_ip ||
        x.dst_ip != y.dst_ip || x.time_ns / 1000 != y.time_ns / 1000) {
      __builtin_trap();
    }
  }
  for (const auto& r : asterix::DecodeFile(bytes)) {
    if (!r.has_value()) CheckError(r.error(), size);
  }
  return 0;
}
