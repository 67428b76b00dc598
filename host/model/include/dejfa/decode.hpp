// SPDX-License-Identifier: Apache-2.0
//
// Packet decoder of the reference model. It decodes exactly what the hardware parser decodes:
// Ethernet II, up to VLAN_MAX 802.1Q/802.1ad tags, IPv4 (with options), IPv6 with up to
// IP6_EXT_MAX hop-by-hop/routing/fragment/destination-options headers, TCP, UDP, ICMP and
// ICMPv6, and only within the first HDR_WIN_B bytes of the frame. Fields are valid layer by
// layer: a frame malformed at L4 still has its IP addresses; one malformed at L3 has nothing.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dejfa/ipnet.hpp"

namespace dejfa {

struct DecodeLimits {
  std::uint32_t hdr_win_b = 128;  ///< header bytes the parser may read
  std::uint32_t vlan_max = 2;
  std::uint32_t ip6_ext_max = 2;
};

/// Why a frame is malformed; None for a well-formed (or simply non-IP) frame.
enum class Malformed : std::uint8_t {
  None,
  Runt,         ///< shorter than an Ethernet header
  Vlan,         ///< truncated VLAN tag, or more tags than VLAN_MAX
  Ip4Header,    ///< bad version or IHL, header truncated
  Ip4Length,    ///< total length shorter than the header or longer than the frame
  Ip6Header,    ///< bad version, header truncated, or payload length beyond the frame
  Ip6Ext,       ///< extension header truncated, or more than IP6_EXT_MAX of them
  L4Header,     ///< TCP/UDP/ICMP header truncated or inconsistent
  HeaderWindow  ///< a header the filter needs lies beyond HDR_WIN_B
};
const char* malformed_name(Malformed m);

struct Packet {
  std::uint32_t frame_len = 0;
  std::uint8_t vlans = 0;
  std::array<std::uint16_t, 8> vlan_ids{};  ///< the tags' VLAN ids, outermost first
  Malformed malformed = Malformed::None;

  bool ip = false;  ///< IPv4 or IPv6 header decoded: src, dst, proto, ttl valid
  bool v6 = false;
  IpAddr src, dst;
  std::uint8_t proto = 0;       ///< IPv4 protocol / IPv6 last next-header
  std::uint8_t ttl = 0;         ///< TTL / hop limit
  bool fragment = false;        ///< any fragment (MF set or offset > 0)
  bool later_fragment = false;  ///< offset > 0: no L4 header

  enum class L4 : std::uint8_t { None, Tcp, Udp, Icmp4, Icmp6 } l4 = L4::None;
  std::uint16_t sport = 0, dport = 0;  ///< TCP/UDP
  std::uint8_t tcp_flags = 0;
  std::uint8_t icmp_type = 0, icmp_code = 0;

  bool payload_valid = false;  ///< payload_off/len known (IP decoded, L4 header if any valid)
  std::uint32_t payload_off = 0;
  std::uint32_t payload_len = 0;

  [[nodiscard]] bool has_ports() const { return l4 == L4::Tcp || l4 == L4::Udp; }
};

Packet decode(std::span<const std::uint8_t> frame, const DecodeLimits& lim = {});

}  // namespace dejfa
