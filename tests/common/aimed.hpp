// SPDX-License-Identifier: Apache-2.0
//
// Decoded packets aimed at a rule's header, for the header index's tests (the model's and the
// RTL's): a literal address of each side when the rule has one, one of its ports, its protocol,
// sometimes reversed for `<>`; or random addresses and ports. And a rule set's packet mix.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "dejfa/decode.hpp"
#include "randgen.hpp"

namespace dejfa::testgen {

// A packet aimed at rule `r`'s header (a literal address of each side when it has one, one of
// its ports), or at random addresses and ports.
inline Packet aimed(Gen& g, const Rule* r) {
  Packet p;
  p.ip = true;
  p.l4 = g.p(0.6) ? Packet::L4::Tcp : (g.p(0.7) ? Packet::L4::Udp : Packet::L4::Icmp4);
  p.proto = p.l4 == Packet::L4::Tcp ? 6 : (p.l4 == Packet::L4::Udp ? 17 : 1);
  p.ttl = static_cast<std::uint8_t>(g.u(256));
  p.tcp_flags = static_cast<std::uint8_t>(g.p(0.5) ? 0x02 : g.u(256));
  p.icmp_type = static_cast<std::uint8_t>(g.u(20));
  p.payload_valid = true;
  p.payload_len = g.u(3) == 0 ? 0 : g.u(1500);
  p.v6 = g.p(0.3);
  p.src = g.ip(p.v6);
  p.dst = g.ip(p.v6);
  p.sport = static_cast<std::uint16_t>(g.u(65536));
  p.dport = static_cast<std::uint16_t>(g.u(65536));
  if (r != nullptr) {
    auto place = [&](const AddrExpr& e, IpAddr& a) {
      std::vector<IpPrefix> lits;
      e.collect(lits);
      if (lits.empty()) return;
      const auto& pf = lits[g.u(static_cast<std::uint32_t>(lits.size()))];
      a = pf.addr;
      if (g.p(0.5)) a.b[15] = static_cast<std::uint8_t>(a.b[15] | g.u(2));
    };
    place(r->dst, p.dst);
    place(r->src, p.src);
    if (p.src.v6 != p.dst.v6) p.src = g.ip(p.dst.v6);
    p.v6 = p.dst.v6;
    if (p.v6 && p.l4 == Packet::L4::Icmp4) p.l4 = Packet::L4::Icmp6, p.proto = 58;
    auto port = [&](const PortSet& s, std::uint16_t& v) {
      if (s.is_all() || s.ranges.empty()) return;
      const auto& x = s.ranges[g.u(static_cast<std::uint32_t>(s.ranges.size()))];
      v = static_cast<std::uint16_t>(x.lo + g.u(static_cast<std::uint32_t>(x.hi - x.lo) + 1));
    };
    port(r->dport, p.dport);
    port(r->sport, p.sport);
    if (r->proto == Proto::Udp) p.l4 = Packet::L4::Udp, p.proto = 17;
    if (r->proto == Proto::Tcp) p.l4 = Packet::L4::Tcp, p.proto = 6;
    if (r->bidirectional && g.p(0.5)) {
      std::swap(p.src, p.dst);
      std::swap(p.sport, p.dport);
    }
  }
  // As the decoder produces packets: ICMP over IPv6 is ICMPv6, only TCP carries flags and only
  // ICMP a type (the small-field maps treat other keys as unreachable, docs/IMAGE.md section 1).
  if (p.v6 && p.l4 == Packet::L4::Icmp4) p.l4 = Packet::L4::Icmp6, p.proto = 58;
  if (p.l4 != Packet::L4::Tcp) p.tcp_flags = 0;
  if (p.l4 != Packet::L4::Icmp4 && p.l4 != Packet::L4::Icmp6) p.icmp_type = 0;
  return p;
}

// Packets for a rule set: 30 % the generator's frames (decoded), the rest aimed at its rules
// (15 % of those at random addresses and ports); a share `fragments` of the aimed ones made first
// fragments (MF set: the L4 header is there, and its ports must not count).
inline std::vector<Packet> packets_for(const RuleSet& rs, std::uint64_t seed, std::size_t n,
                                       double fragments = 0.0) {
  Gen g(seed);
  std::vector<Packet> v;
  while (v.size() < n) {
    if (g.p(0.3)) {
      v.push_back(decode(g.frame()));
    } else {
      const auto* r =
          g.p(0.85) ? &rs.rules[g.u(static_cast<std::uint32_t>(rs.rules.size()))] : nullptr;
      v.push_back(aimed(g, r));
      if (fragments > 0.0 && g.p(fragments)) v.back().fragment = true;
    }
  }
  return v;
}

}  // namespace dejfa::testgen
