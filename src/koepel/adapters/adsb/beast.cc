// Beast binary stream decoder: a byte-at-a-time state machine, so chunk boundaries cannot matter.
#include <string>

#include "koepel/adapters/adsb/adsb.h"

namespace koepel::adapters::adsb {
namespace {

constexpr uint8_t kEscape = 0x1A;

// Body length (timestamp 6 + signal 1 + payload) for a type byte; 0 for an invalid type.
size_t BodyLength(uint8_t type) {
  switch (type) {
    case 0x31: return 7 + 2;
    case 0x32: return 7 + 7;
    case 0x33: case 0x34: case 0x35: return 7 + 14;
    default: return 0;
  }
}

std::string TypeName(uint8_t type) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[type >> 4] + kDigits[type & 0xF];
}

Status Located(uint64_t offset, const std::string& reason) {
  return InvalidArgumentError("byte " + std::to_string(offset) + ": " + reason);
}

}  // namespace

void BeastDecoder::StartFrame(uint8_t type, uint64_t at) {
  type_ = type;
  frame_start_ = at;
  body_.clear();
  body_length_ = BodyLength(type);
  state_ = State::kBody;
}

void BeastDecoder::Flush(std::vector<Result<BeastFrame>>& out) {
  if (garbage_bytes_ > 0) {
    out.emplace_back(Located(garbage_start_, "skipped " + std::to_string(garbage_bytes_) +
                                                 " bytes outside any frame (resynchronised)"));
    garbage_bytes_ = 0;
  }
}

std::vector<Result<BeastFrame>> BeastDecoder::Feed(std::span<const uint8_t> bytes) {
  std::vector<Result<BeastFrame>> out;
  auto garbage = [this](uint64_t at, uint64_t n) {
    if (garbage_bytes_ == 0) garbage_start_ = at;
    garbage_bytes_ += n;
  };
  for (const uint8_t b : bytes) {
    const uint64_t at = offset_++;
    switch (state_) {
      case State::kSync:
        if (b == kEscape) {
          state_ = State::kType;
        } else {
          garbage(at, 1);
        }
        break;
      case State::kType:
        if (BodyLength(b) != 0) {
          Flush(out);
          StartFrame(b, at - 1);
        } else if (b == kEscape) {
          garbage(at - 1, 1);  // the first 0x1A was not a frame start; this one may be
        } else {
          garbage(at - 1, 2);
          state_ = State::kSync;
        }
        break;
      case State::kBody:
        if (b == kEscape) {
          state_ = State::kBodyEscape;
        } else {
          body_.push_back(b);
        }
        break;
      case State::kBodyEscape:
        if (b == kEscape) {
          body_.push_back(b);
          state_ = State::kBody;
        } else {
          // An unescaped 0x1A: the frame was cut short and a new one (perhaps) begins at it.
          out.emplace_back(Located(frame_start_, "frame type " + TypeName(type_) +
                                                     " cut short after " + std::to_string(body_.size()) +
                                                     " of " + std::to_string(body_length_) + " bytes"));
          if (BodyLength(b) != 0) {
            StartFrame(b, at - 1);
          } else {
            garbage(at - 1, 2);
            state_ = State::kSync;
          }
        }
        break;
    }
    if ((state_ == State::kBody) && body_.size() == body_length_) {
      BeastFrame f;
      f.type = static_cast<BeastFrameType>(type_);
      f.offset = frame_start_;
      for (size_t i = 0; i < 6; ++i) f.timestamp = (f.timestamp << 8) | body_[i];
      f.signal = body_[6];
      f.payload.assign(body_.begin() + 7, body_.end());
      out.emplace_back(std::move(f));
      state_ = State::kSync;
    }
  }
  return out;
}

std::vector<Result<BeastFrame>> BeastDecoder::Finish() {
  std::vector<Result<BeastFrame>> out;
  if (state_ == State::kType) {
    if (garbage_bytes_ == 0) garbage_start_ = offset_ - 1;
    ++garbage_bytes_;
  }
  Flush(out);
  if (state_ == State::kBody || state_ == State::kBodyEscape) {
    out.emplace_back(Located(frame_start_, "stream ended inside a frame (" + std::to_string(body_.size()) +
                                               " of " + std::to_string(body_length_) + " bytes)"));
  }
  state_ = State::kSync;
  body_.clear();
  return out;
}

}  // namespace koepel::adapters::adsb
