// SPDX-License-Identifier: Apache-2.0
#include "dejfa/refmodel.hpp"

namespace dejfa {

namespace {

bool proto_match(Proto rp, const Packet& p) {
  switch (rp) {
    case Proto::Ip:
      return true;
    case Proto::Ip4:
      return !p.v6;
    case Proto::Ip6:
      return p.v6;
    case Proto::Tcp:
      return p.l4 == Packet::L4::Tcp;
    case Proto::Udp:
      return p.l4 == Packet::L4::Udp;
    case Proto::Icmp:
      return p.l4 == Packet::L4::Icmp4 || p.l4 == Packet::L4::Icmp6;
    case Proto::Icmp4:
      return p.l4 == Packet::L4::Icmp4;
    case Proto::Icmp6:
      return p.l4 == Packet::L4::Icmp6;
  }
  return false;
}

}  // namespace

// Suricata's signature mask (SignatureCreateMask/PacketCreateMask) gates rules that have no MPM
// pattern, i.e. no positive content: flags naming S/R/F need a packet with one of S/R/F, flags
// naming URG/ECE/CWR one with one of those, whatever the modifier; dsize != and >= need a
// non-empty payload.
bool tcp_flags_ok(const Rule& r, bool is_tcp, std::uint8_t flags) {
  if (!r.flags) return true;
  if (!is_tcp || !r.flags->match(flags)) return false;
  if (!r.has_positive_content()) {
    constexpr std::uint8_t kInitDeinit = 0x01 | 0x02 | 0x04;  // FIN SYN RST
    constexpr std::uint8_t kUnusual = 0x20 | 0x40 | 0x80;     // URG ECE CWR
    if ((r.flags->flags & kInitDeinit) != 0 && (flags & kInitDeinit) == 0) return false;
    if ((r.flags->flags & kUnusual) != 0 && (flags & kUnusual) == 0) return false;
  }
  return true;
}

bool payload_size_ok(const Rule& r, bool valid, std::uint32_t len) {
  // Suricata's SIG_MASK_REQUIRE_PAYLOAD: content rules need a non-empty payload.
  if (!r.contents.empty() && (!valid || len == 0)) return false;
  if (!r.dsize) return true;
  if (!valid || !r.dsize->match(len)) return false;
  if (len == 0 && !r.has_positive_content() &&
      (r.dsize->mode == UintMatch::Mode::Ne || r.dsize->mode == UintMatch::Mode::Ge)) {
    return false;
  }
  return true;
}

bool header_match(const Rule& r, const Packet& p) {
  if (!p.ip || !proto_match(r.proto, p)) return false;
  const bool ports = !r.sport.is_all() || !r.dport.is_all();
  // Suricata: a rule with ports never matches a packet without them, nor any fragment.
  if (ports && (!p.has_ports() || p.fragment)) return false;
  auto oriented = [&](const IpAddr& s, const IpAddr& d, std::uint16_t sp, std::uint16_t dp) {
    if (ports && (!r.sport.contains(sp) || !r.dport.contains(dp))) return false;
    return r.src.contains(s) && r.dst.contains(d);
  };
  if (!oriented(p.src, p.dst, p.sport, p.dport) &&
      !(r.bidirectional && oriented(p.dst, p.src, p.dport, p.sport))) {
    return false;
  }
  if (r.ttl && !r.ttl->match(p.ttl)) return false;
  if (r.ip_proto && !r.ip_proto->match(p.proto)) return false;
  if (!tcp_flags_ok(r, p.l4 == Packet::L4::Tcp, p.tcp_flags)) return false;
  const bool icmp = p.l4 == Packet::L4::Icmp4 || p.l4 == Packet::L4::Icmp6;
  if (r.itype && (!icmp || !r.itype->match(p.icmp_type))) return false;
  if (r.icode && (!icmp || !r.icode->match(p.icmp_code))) return false;
  if (!payload_size_ok(r, p.payload_valid, p.payload_len)) return false;
  return true;
}

RefModel::RefModel(const RuleSet& rs, DecodeLimits lim, Policy pol)
    : rs_(rs), lim_(lim), pol_(pol), enabled_(rs.rules.size(), true) {
  action_.reserve(rs.rules.size());
  for (const auto& r : rs.rules) {
    action_.push_back(r.action);
    auto& v = specs_.emplace_back();
    for (const auto& c : r.contents) v.push_back(spec_of(c));
  }
}

Verdict RefModel::judge(std::span<const std::uint8_t> frame) const {
  return judge(decode(frame, lim_), frame);
}

Verdict RefModel::judge(const Packet& p, std::span<const std::uint8_t> frame) const {
  Verdict v;
  for (std::size_t i = 0; i < rs_.rules.size(); ++i) {
    if (!enabled_[i]) continue;
    const Rule& r = rs_.rules[i];
    if (!header_match(r, p)) continue;
    if (!r.contents.empty() &&
        !content_match(r.contents, specs_[i], frame.subspan(p.payload_off, p.payload_len),
                       pol_.recursion_limit)) {
      continue;  // header_match already required a non-empty payload
    }
    v.matched.push_back(static_cast<std::uint32_t>(i));
  }
  decide(v, action_, p.malformed, pol_);
  return v;
}

void decide(Verdict& v, std::span<const Action> actions, Malformed malformed, const Policy& pol) {
  v.malformed = malformed;
  bool drop = false;
  v.pass_rule = false;
  for (auto i : v.matched) {
    if (actions[i] == Action::Pass) v.pass_rule = true;
    if (actions[i] == Action::Drop || actions[i] == Action::Reject) drop = true;
  }
  // Action order pass > drop > reject > alert: a matching pass rule passes the packet and
  // suppresses every alert; otherwise every matching alert/drop/reject rule alerts.
  if (v.pass_rule) {
    drop = false;
    v.alerted.clear();
  } else {
    v.alerted = v.matched;
  }
  v.drop = drop || (malformed != Malformed::None && pol.malformed_drop);
}

}  // namespace dejfa
