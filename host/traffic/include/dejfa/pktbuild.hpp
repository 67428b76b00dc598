// SPDX-License-Identifier: Apache-2.0
//
// Frame builder for tests and traffic generation: Ethernet II, VLAN tags, IPv4 (options,
// fragments), IPv6 (extension headers), TCP, UDP, ICMP, ICMPv6, with correct lengths and
// checksums unless told otherwise.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dejfa/ipnet.hpp"

namespace dejfa {

struct FrameSpec {
  std::vector<std::uint16_t> vlans;  ///< TCI values, outermost first (TPID 0x8100)
  bool v6 = false;
  IpAddr src = IpAddr::v4(0x0A000001), dst = IpAddr::v4(0x0A000002);
  std::uint8_t ttl = 64;
  std::uint8_t proto = 6;                 ///< 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, anything else raw
  std::vector<std::uint8_t> ip4_options;  ///< padded to 4 bytes
  std::uint16_t frag_offset = 0;          ///< in 8-byte units
  bool more_fragments = false;
  /// IPv6 extension headers, in order, each {type, body length incl. the 2 fixed bytes}
  std::vector<std::pair<std::uint8_t, std::uint16_t>> ip6_ext;
  std::uint16_t sport = 1234, dport = 80;
  std::uint8_t tcp_flags = 0x18;  ///< PSH|ACK
  std::vector<std::uint8_t> tcp_options;
  std::uint8_t icmp_type = 8, icmp_code = 0;
  std::vector<std::uint8_t> payload;
};

std::vector<std::uint8_t> build_frame(const FrameSpec& s);

inline std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace dejfa
