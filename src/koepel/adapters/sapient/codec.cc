// Binary and JSON decoding, JSON output, and the length-prefixed TCP framing.
#include <google/protobuf/util/json_util.h>

#include <climits>
#include <cstring>

#include "koepel/adapters/sapient/internal.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// protobuf's util::Status text is "INVALID_ARGUMENT:reason"; keep the reason.
std::string ProtobufReason(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon != std::string::npos && colon < 24) return text.substr(colon + 1);
  return text;
}

int32_t ReadLittleEndianInt32(const uint8_t* p) {
  const uint32_t u = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                     static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
  int32_t v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// A frame worth resynchronising on: a plausible length, a payload that starts with the envelope's
// timestamp (field 1, length-delimited, at most 24 bytes as every encoder writes it first) and decodes.
bool LooksLikeFrame(const uint8_t* p, size_t available, uint32_t max_bytes) {
  if (available < 6) return false;
  const int32_t length = ReadLittleEndianInt32(p);
  if (length < 2 || static_cast<uint32_t>(length) > max_bytes) return false;
  if (p[4] != 0x0A || p[5] > 24) return false;
  if (available < 4 + static_cast<size_t>(length)) return false;
  SapientMessage message;
  return message.ParseFromArray(p + 4, length);
}

}  // namespace

Result<SapientMessage> DecodeBinary(std::span<const uint8_t> payload) {
  SapientMessage message;
  if (payload.size() > static_cast<size_t>(INT_MAX) ||
      !message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return InvalidArgumentError("payload of " + std::to_string(payload.size()) +
                                " bytes: not a SapientMessage (protobuf parse failed)");
  }
  return message;
}

Result<SapientMessage> ParseJson(std::string_view text, bool allow_unknown_fields) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = allow_unknown_fields;
  SapientMessage message;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &message, options);
  if (!status.ok()) return InvalidArgumentError("json: " + ProtobufReason(status.ToString()));
  return message;
}

Result<SapientMessage> ParseAndValidateJson(std::string_view text) {
  Result<SapientMessage> strict = ParseJson(text, false);
  if (strict.has_value()) {
    KOEPEL_RETURN_IF_ERROR(Validate(*strict));
    return strict;
  }
  // Unknown fields: report a broken rule first when there is one, since it says more.
  Result<SapientMessage> lenient = ParseJson(text, true);
  if (!lenient.has_value()) return strict.error();
  KOEPEL_RETURN_IF_ERROR(Validate(*lenient));
  return strict.error();
}

std::string ToJson(const SapientMessage& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    // Only invalid UTF-8 in a string field gets here; say so in the output rather than fail.
    return "{\"error\":\"cannot print as JSON: " + ProtobufReason(status.ToString()) + "\"}";
  }
  return out;
}

std::vector<uint8_t> Frame(const SapientMessage& message) {
  const std::string payload = message.SerializeAsString();
  const auto size = static_cast<uint32_t>(payload.size());
  std::vector<uint8_t> out(4 + payload.size());
  out[0] = static_cast<uint8_t>(size);
  out[1] = static_cast<uint8_t>(size >> 8);
  out[2] = static_cast<uint8_t>(size >> 16);
  out[3] = static_cast<uint8_t>(size >> 24);
  std::memcpy(out.data() + 4, payload.data(), payload.size());
  return out;
}

// ---------------------------------------------------------------------------------------------
// FrameReader

std::vector<Result<FramedMessage>> FrameReader::Feed(std::span<const uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  std::vector<Result<FramedMessage>> out;
  Process(false, out);
  return out;
}

std::vector<Result<FramedMessage>> FrameReader::Finish() {
  std::vector<Result<FramedMessage>> out;
  Process(true, out);
  if (resyncing_) {
    out.push_back(InvalidArgumentError(
        "byte " + std::to_string(resync_start_) + ": bad frame length " + std::to_string(bad_length_) +
        " (allowed 1.." + std::to_string(max_message_bytes_) + "); no frame found in the " +
        std::to_string(bytes_seen() - resync_start_) + " bytes up to the end of the stream"));
  } else if (!buffer_.empty()) {
    std::string what = "stream ended inside a frame: " + std::to_string(buffer_.size()) + " bytes";
    if (buffer_.size() >= 4) {
      what += " of " + std::to_string(4 + static_cast<int64_t>(ReadLittleEndianInt32(buffer_.data())));
    } else {
      what += ", less than the 4-byte length";
    }
    out.push_back(InvalidArgumentError("byte " + std::to_string(base_offset_) + ": " + what));
  }
  base_offset_ = bytes_seen();
  buffer_.clear();
  resyncing_ = false;
  return out;
}

void FrameReader::Process(bool end_of_stream, std::vector<Result<FramedMessage>>& out) {
  size_t pos = 0;
  for (;;) {
    const size_t available = buffer_.size() - pos;
    const uint8_t* p = buffer_.data() + pos;
    const uint64_t offset = base_offset_ + pos;
    if (resyncing_) {
      if (available < 6) {
        if (end_of_stream && available > 0) {
          pos = buffer_.size();
        }
        break;
      }
      const int32_t length = ReadLittleEndianInt32(p);
      const bool plausible_start = length >= 2 && static_cast<uint32_t>(length) <= max_message_bytes_ &&
                                   p[4] == 0x0A && p[5] <= 24;
      if (plausible_start && available < 4 + static_cast<size_t>(length) && !end_of_stream) {
        break;  // cannot tell yet: wait for the rest of this candidate
      }
      if (plausible_start && LooksLikeFrame(p, available, max_message_bytes_)) {
        out.push_back(InvalidArgumentError(
            "byte " + std::to_string(resync_start_) + ": bad frame length " + std::to_string(bad_length_) +
            " (allowed 1.." + std::to_string(max_message_bytes_) + "); skipped " +
            std::to_string(offset - resync_start_) + " bytes, resynchronised at byte " + std::to_string(offset)));
        resyncing_ = false;
        continue;
      }
      ++pos;
      continue;
    }
    if (available < 4) break;
    const int32_t length = ReadLittleEndianInt32(p);
    if (length == 0) {  // an empty frame: nothing to decode (the dstl reader ignores these too)
      pos += 4;
      continue;
    }
    if (length < 0 || static_cast<uint32_t>(length) > max_message_bytes_) {
      resyncing_ = true;
      resync_start_ = offset;
      bad_length_ = length;
      ++pos;
      continue;
    }
    if (available < 4 + static_cast<size_t>(length)) break;
    FramedMessage framed;
    framed.offset = offset;
    framed.payload_size = static_cast<uint32_t>(length);
    if (framed.message.ParseFromArray(p + 4, length)) {
      out.push_back(std::move(framed));
    } else {
      out.push_back(InvalidArgumentError("byte " + std::to_string(offset) + ": frame of " +
                                         std::to_string(length) +
                                         " bytes: payload is not a SapientMessage (protobuf parse failed)"));
    }
    pos += 4 + static_cast<size_t>(length);
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos));
  base_offset_ += pos;
}

}  // namespace koepel::adapters::sapient
