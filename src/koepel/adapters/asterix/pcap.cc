// Classic libpcap files: reader (both byte orders, us/ns timestamps) and writer, plus DecodeFile.
#include <fstream>
#include <iterator>
#include <string>

#include "koepel/adapters/asterix/asterix.h"

namespace koepel::adapters::asterix {
namespace {

constexpr uint32_t kMagicMicro = 0xA1B2C3D4;
constexpr uint32_t kMagicNano = 0xA1B23C4D;
constexpr uint32_t kLinkEthernet = 1;
constexpr uint32_t kLinkRaw = 101;       // raw IP (LINKTYPE_RAW)
constexpr uint32_t kLinkIpv4 = 228;      // LINKTYPE_IPV4
constexpr size_t kGlobalHeader = 24;
constexpr size_t kRecordHeader = 16;

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[3]} | uint32_t{p[2]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[0]} << 24;
}
uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

Status ErrorAt(size_t offset, const std::string& what) {
  return InvalidArgumentError("byte " + std::to_string(offset) + ": " + what);
}

struct Magic {
  bool big_endian = false;
  bool nanoseconds = false;
};

std::optional<Magic> ReadMagic(std::span<const uint8_t> file) {
  if (file.size() < 4) return std::nullopt;
  const uint32_t le = Le32(file.data());
  const uint32_t be = Be32(file.data());
  if (le == kMagicMicro) return Magic{false, false};
  if (le == kMagicNano) return Magic{false, true};
  if (be == kMagicMicro) return Magic{true, false};
  if (be == kMagicNano) return Magic{true, true};
  return std::nullopt;
}

// The UDP datagram inside one captured packet; nullopt for packets that are not IPv4/UDP.
Result<std::optional<UdpDatagram>> ParsePacket(std::span<const uint8_t> file, size_t start, size_t length,
                                               uint32_t link_type, const std::string& where) {
  const uint8_t* p = file.data() + start;
  size_t ip = 0;
  if (link_type == kLinkEthernet) {
    if (length < 14) return ErrorAt(start, where + ": Ethernet header needs 14 bytes, " + std::to_string(length) + " captured");
    size_t type_at = 12;
    uint16_t ether_type = Be16(p + type_at);
    while ((ether_type == 0x8100 || ether_type == 0x88A8) && type_at + 6 <= length) {  // VLAN tags
      type_at += 4;
      ether_type = Be16(p + type_at);
    }
    if (ether_type != 0x0800) return std::optional<UdpDatagram>();
    ip = type_at + 2;
  }
  if (length < ip + 20) return ErrorAt(start + ip, where + ": IPv4 header needs 20 bytes, " + std::to_string(length - std::min(length, ip)) + " captured");
  if ((p[ip] >> 4) != 4) {
    if (link_type == kLinkEthernet) return ErrorAt(start + ip, where + ": IP version " + std::to_string(p[ip] >> 4) + " in an IPv4 frame");
    return std::optional<UdpDatagram>();
  }
  const size_t ihl = size_t{p[ip] & 0x0Fu} * 4;
  const size_t total = Be16(p + ip + 2);
  if (ihl < 20 || total < ihl) return ErrorAt(start + ip, where + ": bad IPv4 header length " + std::to_string(ihl) + "/" + std::to_string(total));
  if (p[ip + 9] != 17) return std::optional<UdpDatagram>();  // not UDP
  if ((Be16(p + ip + 6) & 0x3FFF) != 0) return ErrorAt(start + ip, where + ": fragmented IPv4 datagram (not reassembled)");
  if (ip + total > length) return ErrorAt(start + ip, where + ": IPv4 total length " + std::to_string(total) + " but " + std::to_string(length - ip) + " bytes captured");
  const size_t udp = ip + ihl;
  if (total - ihl < 8) return ErrorAt(start + udp, where + ": UDP header needs 8 bytes");
  const size_t udp_length = Be16(p + udp + 4);
  if (udp_length < 8 || udp_length > total - ihl) return ErrorAt(start + udp, where + ": bad UDP length " + std::to_string(udp_length));
  UdpDatagram d;
  d.src_ip = Be32(p + ip + 12);
  d.dst_ip = Be32(p + ip + 16);
  d.src_port = Be16(p + udp);
  d.dst_port = Be16(p + udp + 2);
  d.offset = start + udp + 8;
  d.payload.assign(p + udp + 8, p + udp + udp_length);
  return std::optional<UdpDatagram>(std::move(d));
}

void PutLe32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutLe16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void PutBe16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void PutBe32(std::vector<uint8_t>& out, uint32_t v) {
  PutBe16(out, static_cast<uint16_t>(v >> 16));
  PutBe16(out, static_cast<uint16_t>(v));
}

}  // namespace

std::vector<Result<UdpDatagram>> ReadPcap(std::span<const uint8_t> file) {
  std::vector<Result<UdpDatagram>> out;
  const std::optional<Magic> magic = ReadMagic(file);
  if (!magic) {
    out.push_back(ErrorAt(0, "not a pcap file (no libpcap magic)"));
    return out;
  }
  if (file.size() < kGlobalHeader) {
    out.push_back(ErrorAt(0, "pcap global header needs 24 bytes, " + std::to_string(file.size()) + " present"));
    return out;
  }
  auto u32 = [&](size_t at) { return magic->big_endian ? Be32(file.data() + at) : Le32(file.data() + at); };
  const uint32_t link_type = u32(20) & 0x0FFFFFFF;  // upper bits: FCS info
  if (link_type != kLinkEthernet && link_type != kLinkRaw && link_type != kLinkIpv4) {
    out.push_back(ErrorAt(20, "unsupported pcap link type " + std::to_string(link_type) + " (Ethernet or raw IPv4 only)"));
    return out;
  }
  size_t pos = kGlobalHeader;
  for (int packet = 1; pos < file.size(); ++packet) {
    const std::string where = "packet " + std::to_string(packet);
    if (file.size() - pos < kRecordHeader) {
      out.push_back(ErrorAt(pos, where + ": record header needs 16 bytes, " + std::to_string(file.size() - pos) + " left"));
      break;
    }
    const int64_t seconds = u32(pos);
    const int64_t fraction = u32(pos + 4);
    const size_t captured = u32(pos + 8);
    if (captured > file.size() - pos - kRecordHeader) {
      out.push_back(ErrorAt(pos, where + ": " + std::to_string(captured) + " bytes captured but " +
                                     std::to_string(file.size() - pos - kRecordHeader) + " left (truncated file)"));
      break;
    }
    const size_t start = pos + kRecordHeader;
    pos = start + captured;
    Result<std::optional<UdpDatagram>> d = ParsePacket(file, start, captured, link_type, where);
    if (!d.has_value()) {
      out.push_back(d.error());
      continue;
    }
    if (!d->has_value()) continue;
    UdpDatagram datagram = std::move(**d);
    datagram.time_ns = seconds * 1'000'000'000 + (magic->nanoseconds ? fraction : fraction * 1000);
    out.push_back(std::move(datagram));
  }
  return out;
}

std::vector<uint8_t> WritePcap(std::span<const UdpDatagram> datagrams) {
  std::vector<uint8_t> out;
  PutLe32(out, kMagicMicro);
  PutLe16(out, 2);
  PutLe16(out, 4);
  PutLe32(out, 0);       // thiszone
  PutLe32(out, 0);       // sigfigs
  PutLe32(out, 65535);   // snaplen
  PutLe32(out, kLinkEthernet);
  for (const UdpDatagram& d : datagrams) {
    const size_t udp_length = 8 + d.payload.size();
    const size_t ip_length = 20 + udp_length;
    const size_t frame = 14 + ip_length;
    const int64_t us = d.time_ns / 1000;
    PutLe32(out, static_cast<uint32_t>(us / 1'000'000));
    PutLe32(out, static_cast<uint32_t>(us % 1'000'000));
    PutLe32(out, static_cast<uint32_t>(frame));
    PutLe32(out, static_cast<uint32_t>(frame));
    // Ethernet: made-up locally administered MACs.
    for (uint8_t b : {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1}) out.push_back(b);
    PutBe16(out, 0x0800);
    const size_t ip = out.size();
    out.push_back(0x45);
    out.push_back(0);
    PutBe16(out, static_cast<uint16_t>(ip_length));
    PutBe16(out, 0);       // identification
    PutBe16(out, 0x4000);  // don't fragment
    out.push_back(64);     // TTL
    out.push_back(17);     // UDP
    PutBe16(out, 0);       // checksum, filled below
    PutBe32(out, d.src_ip);
    PutBe32(out, d.dst_ip);
    uint32_t sum = 0;
    for (size_t i = ip; i < ip + 20; i += 2) sum += static_cast<uint32_t>(out[i] << 8 | out[i + 1]);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    const auto checksum = static_cast<uint16_t>(~sum);
    out[ip + 10] = static_cast<uint8_t>(checksum >> 8);
    out[ip + 11] = static_cast<uint8_t>(checksum);
    PutBe16(out, d.src_port);
    PutBe16(out, d.dst_port);
    PutBe16(out, static_cast<uint16_t>(udp_length));
    PutBe16(out, 0);  // no UDP checksum (allowed for IPv4)
    out.insert(out.end(), d.payload.begin(), d.payload.end());
  }
  return out;
}

std::vector<Result<Record>> DecodeFile(std::span<const uint8_t> file) {
  if (!ReadMagic(file)) return DecodeBlocks(file, 0);
  std::vector<Result<Record>> out;
  for (Result<UdpDatagram>& d : ReadPcap(file)) {
    if (!d.has_value()) {
      out.push_back(d.error());
      continue;
    }
    for (Result<Record>& r : DecodeBlocks(d->payload, d->offset)) {
      if (r.has_value()) r->capture_time_ns = d->time_ns;
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<std::vector<uint8_t>> ReadBinaryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError("cannot open " + path);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace koepel::adapters::asterix
