// Feeds arbitrary bytes to the SAPIENT stream reader whole and in two chunks, then validates and
// converts every decoded message. Both feedings must agree; every error must be located; nothing may crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "koepel/adapters/sapient/sapient.h"

namespace sapient = koepel::adapters::sapient;

namespace {
std::vector<koepel::Result<sapient::FramedMessage>> ReadAll(std::span<const uint8_t> bytes, size_t cut) {
  sapient::FrameReader reader(4096);
  auto out = reader.Feed(bytes.first(cut));
  for (auto& r : reader.Feed(bytes.subspan(cut))) out.push_back(std::move(r));
  for (auto& r : reader.Finish()) out.push_back(std::move(r));
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  const auto whole = ReadAll(bytes, size);
  const auto split = ReadAll(bytes, size == 0 ? 0 : data[0] % size);
  if (whole.size() != split.size()) __builtin_trap();
  sapient::ConversionConfig config;
  config.frame_origin = {52.0, 5.0, 0.0};
  config.require_registration = false;
  config.node_positions["a8654cdf-4328-47de-81fa-c495589e30c8"] = {52.01, 5.01, 10.0};
  sapient::NodeTable table(config);
  for (size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].has_value() != split[i].has_value()) __builtin_trap();
    if (!whole[i].has_value()) {
      if (whole[i].error() != split[i].error()) __builtin_trap();
      if (whole[i].error().message().rfind("byte ", 0) != 0) __builtin_trap();  // errors are located
      continue;
    }
    const sapient::FramedMessage& f = *whole[i];
    if (f.offset + 4 + f.payload_size > size || f.offset != split[i]->offset) __builtin_trap();
    for (const sapient::Violation& v : sapient::Violations(f.message)) {
      if (v.path.empty() || v.reason.empty()) __builtin_trap();
    }
    if (!sapient::Validate(f.message).ok()) continue;
    if (f.message.has_registration()) {
      const auto ack = table.Register(f.message, "6b6f6570-656c-4000-8000-000000000001", 0);
      if (!ack.registration_ack().acceptance()) __builtin_trap();  // it was valid
    } else if (f.message.has_status_report()) {
      auto s = table.ApplyStatus(f.message);
      if (!s.has_value() && s.error().message().empty()) __builtin_trap();
    } else if (f.message.has_detection_report()) {
      auto d = table.ToDetection(f.message);
      if (d.has_value()) {
        if (!d->detection.measurement.z.allFinite() || !d->detection.measurement.noise.allFinite()) __builtin_trap();
        if (d->detection.class_report && (d->detection.class_report->confidence < 0.0 ||
                                          d->detection.class_report->confidence > 1.0)) {
          __builtin_trap();
        }
      } else if (d.error().message().find(':') == std::string::npos) {
        __builtin_trap();  // errors name the field
      }
    }
    (void)sapient::ToJson(f.message);
  }
  return 0;
}
