// SPDX-License-Identifier: Apache-2.0
#include "dejfa/decode.hpp"

#include <cstring>

#include "dejfa/gen/regs.hpp"

namespace dejfa {

// The reasons are a contract with the RTL parser: their codes come from hw/dejfa_regs.toml.
namespace mc = hw::malformed;
static_assert(static_cast<std::uint8_t>(Malformed::None) == mc::NONE);
static_assert(static_cast<std::uint8_t>(Malformed::Runt) == mc::RUNT);
static_assert(static_cast<std::uint8_t>(Malformed::Vlan) == mc::VLAN);
static_assert(static_cast<std::uint8_t>(Malformed::Ip4Header) == mc::IP4_HDR);
static_assert(static_cast<std::uint8_t>(Malformed::Ip4Length) == mc::IP4_LEN);
static_assert(static_cast<std::uint8_t>(Malformed::Ip6Header) == mc::IP6_HDR);
static_assert(static_cast<std::uint8_t>(Malformed::Ip6Ext) == mc::IP6_EXT);
static_assert(static_cast<std::uint8_t>(Malformed::L4Header) == mc::L4);
static_assert(static_cast<std::uint8_t>(Malformed::HeaderWindow) == mc::WINDOW);

const char* malformed_name(Malformed m) {
  switch (m) {
    case Malformed::None:
      return "none";
    case Malformed::Runt:
      return "runt";
    case Malformed::Vlan:
      return "vlan";
    case Malformed::Ip4Header:
      return "ipv4-header";
    case Malformed::Ip4Length:
      return "ipv4-length";
    case Malformed::Ip6Header:
      return "ipv6-header";
    case Malformed::Ip6Ext:
      return "ipv6-extension";
    case Malformed::L4Header:
      return "l4-header";
    case Malformed::HeaderWindow:
      return "header-window";
  }
  return "?";
}

namespace {

constexpr std::uint16_t kEthIp4 = 0x0800;
constexpr std::uint16_t kEthIp6 = 0x86DD;
constexpr std::uint16_t kEthVlan = 0x8100;
constexpr std::uint16_t kEthQinQ = 0x88A8;

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((std::uint16_t{p[0]} << 8) | p[1]);
}

/// Bounds for header reads: `need(end)` is true when bytes [0, end) can be read; otherwise it
/// records why (beyond the frame = truncated, beyond the window = header-window).
struct Reader {
  std::uint32_t frame_len;
  std::uint32_t win;
  Malformed why = Malformed::None;
  bool need(std::uint32_t end, Malformed truncated) {
    if (end > frame_len) {
      why = truncated;
      return false;
    }
    if (end > win) {
      why = Malformed::HeaderWindow;
      return false;
    }
    return true;
  }
};

// Each layer's step reads its header at `off` and either fills the packet and returns true, or
// sets p.malformed (or leaves the packet as it is: not IP) and returns false: decoding stops.

// Ethernet II and up to vlan_max VLAN tags; `off` is left at the L3 header, `et` its EtherType.
bool decode_ethernet(const std::uint8_t* b, const DecodeLimits& lim, Reader& rd, Packet& p,
                     std::uint32_t& off, std::uint16_t& et) {
  if (!rd.need(14, Malformed::Runt)) {
    p.malformed = rd.why;
    return false;
  }
  off = 12;
  et = be16(b + off);
  while (et == kEthVlan || et == kEthQinQ) {
    if (p.vlans == lim.vlan_max) {
      p.malformed = Malformed::Vlan;
      return false;
    }
    if (!rd.need(off + 6, Malformed::Vlan)) {
      p.malformed = rd.why;
      return false;
    }
    if (p.vlans < p.vlan_ids.size()) p.vlan_ids[p.vlans] = be16(b + off + 2) & 0x0FFFU;
    ++p.vlans;
    off += 4;
    et = be16(b + off);
  }
  off += 2;  // L3 start
  return true;
}

// Where the IP layer ends: the IP packet's end (Ethernet padding excluded) and the start of the
// L4 header (the IP payload).
struct L3 {
  std::uint32_t end = 0, l4 = 0;
};

bool decode_ip4(const std::uint8_t* b, std::uint32_t off, Reader& rd, Packet& p, L3& l3) {
  if (!rd.need(off + 20, Malformed::Ip4Header)) {
    p.malformed = rd.why;
    return false;
  }
  const std::uint8_t* h = b + off;
  const std::uint32_t ihl = (h[0] & 0x0FU) * 4U;
  if ((h[0] >> 4) != 4 || ihl < 20) {
    p.malformed = Malformed::Ip4Header;
    return false;
  }
  if (!rd.need(off + ihl, Malformed::Ip4Header)) {
    p.malformed = rd.why;
    return false;
  }
  const std::uint32_t tot = be16(h + 2);
  if (tot < ihl || off + tot > p.frame_len) {
    p.malformed = Malformed::Ip4Length;
    return false;
  }
  p.ip = true;
  p.v6 = false;
  p.ttl = h[8];
  p.proto = h[9];
  p.src = IpAddr::v4((std::uint32_t{h[12]} << 24) | (std::uint32_t{h[13]} << 16) |
                     (std::uint32_t{h[14]} << 8) | h[15]);
  p.dst = IpAddr::v4((std::uint32_t{h[16]} << 24) | (std::uint32_t{h[17]} << 16) |
                     (std::uint32_t{h[18]} << 8) | h[19]);
  const std::uint16_t frag = be16(h + 6);
  p.fragment = (frag & 0x2000U) != 0 || (frag & 0x1FFFU) != 0;
  p.later_fragment = (frag & 0x1FFFU) != 0;
  l3.end = off + tot;
  l3.l4 = off + ihl;
  return true;
}

// IPv6 and up to ip6_ext_max hop-by-hop, routing, fragment and destination-options headers.
bool decode_ip6(const std::uint8_t* b, std::uint32_t off, const DecodeLimits& lim, Reader& rd,
                Packet& p, L3& l3) {
  if (!rd.need(off + 40, Malformed::Ip6Header)) {
    p.malformed = rd.why;
    return false;
  }
  const std::uint8_t* h = b + off;
  const std::uint32_t plen = be16(h + 4);
  if ((h[0] >> 4) != 6 || off + 40 + plen > p.frame_len) {
    p.malformed = Malformed::Ip6Header;
    return false;
  }
  p.v6 = true;
  p.ttl = h[7];
  p.src.v6 = true;
  p.dst.v6 = true;
  std::memcpy(p.src.b.data(), h + 8, 16);
  std::memcpy(p.dst.b.data(), h + 24, 16);
  l3.end = off + 40 + plen;
  std::uint8_t nh = h[6];
  std::uint32_t x = off + 40;
  std::uint32_t exts = 0;
  while (nh == 0 || nh == 43 || nh == 44 || nh == 60) {
    if (exts == lim.ip6_ext_max) {
      p.malformed = Malformed::Ip6Ext;
      return false;
    }
    ++exts;
    // The first 8 bytes of every extension header are read (fragment: all of it).
    if (x + 8 > l3.end) {
      p.malformed = Malformed::Ip6Ext;
      return false;
    }
    if (!rd.need(x + 8, Malformed::Ip6Ext)) {
      p.malformed = rd.why;
      return false;
    }
    const std::uint8_t* e = b + x;
    std::uint32_t len = 8;
    if (nh == 44) {
      const std::uint16_t fo = be16(e + 2);
      p.fragment = true;
      p.later_fragment = p.later_fragment || (fo & 0xFFF8U) != 0;
    } else {
      len = (std::uint32_t{e[1]} + 1U) * 8U;
    }
    if (x + len > l3.end) {
      p.malformed = Malformed::Ip6Ext;
      return false;
    }
    nh = e[0];
    x += len;
  }
  p.ip = true;
  p.proto = nh;
  l3.l4 = x;
  return true;
}

// The L4 header of a first fragment or an unfragmented packet (TCP, UDP, ICMP of its family) and
// where its payload lies; other protocols' payload is the IP payload.
void decode_l4(const std::uint8_t* b, Reader& rd, Packet& p, const L3& l3) {
  const std::uint32_t l4 = l3.l4;
  const std::uint32_t avail = l3.end - l4;
  if (p.proto == 6) {
    if (avail < 20) {
      p.malformed = Malformed::L4Header;
      return;
    }
    if (!rd.need(l4 + 14, Malformed::L4Header)) {  // ports, data offset, flags
      p.malformed = rd.why;
      return;
    }
    const std::uint32_t doff = (b[l4 + 12] >> 4) * 4U;
    if (doff < 20 || doff > avail) {
      p.malformed = Malformed::L4Header;
      return;
    }
    p.l4 = Packet::L4::Tcp;
    p.sport = be16(b + l4);
    p.dport = be16(b + l4 + 2);
    p.tcp_flags = b[l4 + 13];
    p.payload_off = l4 + doff;
    p.payload_len = avail - doff;
  } else if (p.proto == 17) {
    if (avail < 8) {
      p.malformed = Malformed::L4Header;
      return;
    }
    if (!rd.need(l4 + 6, Malformed::L4Header)) {  // ports and length
      p.malformed = rd.why;
      return;
    }
    const std::uint32_t ulen = be16(b + l4 + 4);
    if (ulen < 8 || ulen > avail) {
      p.malformed = Malformed::L4Header;
      return;
    }
    p.l4 = Packet::L4::Udp;
    p.sport = be16(b + l4);
    p.dport = be16(b + l4 + 2);
    p.payload_off = l4 + 8;
    p.payload_len = ulen - 8;
  } else if ((p.proto == 1 && !p.v6) || (p.proto == 58 && p.v6)) {
    if (avail < 8) {
      p.malformed = Malformed::L4Header;
      return;
    }
    if (!rd.need(l4 + 2, Malformed::L4Header)) {  // type and code
      p.malformed = rd.why;
      return;
    }
    p.l4 = p.v6 ? Packet::L4::Icmp6 : Packet::L4::Icmp4;
    p.icmp_type = b[l4];
    p.icmp_code = b[l4 + 1];
    p.payload_off = l4 + 8;
    p.payload_len = avail - 8;
  }
  p.payload_valid = true;
}

Packet decode_layers(std::span<const std::uint8_t> f, const DecodeLimits& lim) {
  Packet p;
  p.frame_len = static_cast<std::uint32_t>(f.size());
  Reader rd{p.frame_len, lim.hdr_win_b};
  const std::uint8_t* b = f.data();
  std::uint32_t off = 0;
  std::uint16_t et = 0;
  if (!decode_ethernet(b, lim, rd, p, off, et)) return p;
  L3 l3;
  if (et == kEthIp4) {
    if (!decode_ip4(b, off, rd, p, l3)) return p;
  } else if (et == kEthIp6) {
    if (!decode_ip6(b, off, lim, rd, p, l3)) return p;
  } else {
    return p;  // not IP: nothing to match, not malformed
  }
  // IP payload; a later fragment has no L4 header.
  p.payload_off = l3.l4;
  p.payload_len = l3.end - l3.l4;
  if (p.later_fragment) {
    p.payload_valid = true;
    return p;
  }
  decode_l4(b, rd, p, l3);
  return p;
}

}  // namespace

Packet decode(std::span<const std::uint8_t> f, const DecodeLimits& lim) {
  Packet p = decode_layers(f, lim);
  // Fields of a layer that is not valid are zero: the hardware parser's contract, and what the
  // classifier keys rely on (a non-TCP packet carries flags 0, a packet without ports port 0).
  if (!p.ip) {
    p.v6 = false;
    p.src = IpAddr{};
    p.dst = IpAddr{};
    p.proto = 0;
    p.ttl = 0;
    p.fragment = false;
    p.later_fragment = false;
  }
  if (p.l4 != Packet::L4::Tcp) p.tcp_flags = 0;
  if (!p.has_ports()) {
    p.sport = 0;
    p.dport = 0;
  }
  if (p.l4 != Packet::L4::Icmp4 && p.l4 != Packet::L4::Icmp6) {
    p.icmp_type = 0;
    p.icmp_code = 0;
  }
  if (!p.payload_valid) {
    p.payload_off = 0;
    p.payload_len = 0;
  }
  return p;
}

}  // namespace dejfa
