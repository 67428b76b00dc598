// SPDX-License-Identifier: Apache-2.0
#include "dejfa/ir.hpp"

#include <algorithm>
#include <cstdio>

#include "dejfa/classtype.hpp"

namespace dejfa {

const char* action_name(Action a) {
  switch (a) {
    case Action::Alert:
      return "alert";
    case Action::Reject:
      return "reject";
    case Action::Drop:
      return "drop";
    case Action::Pass:
      return "pass";
  }
  return "?";
}

bool action_from_name(std::string_view name, Action& a) {
  for (const Action x : {Action::Alert, Action::Reject, Action::Drop, Action::Pass}) {
    if (name == action_name(x)) {
      a = x;
      return true;
    }
  }
  return false;
}

const char* proto_name(Proto p) {
  switch (p) {
    case Proto::Ip:
      return "ip";
    case Proto::Ip4:
      return "ipv4";
    case Proto::Ip6:
      return "ipv6";
    case Proto::Tcp:
      return "tcp";
    case Proto::Udp:
      return "udp";
    case Proto::Icmp:
      return "icmp";
    case Proto::Icmp4:
      return "icmpv4";
    case Proto::Icmp6:
      return "icmpv6";
  }
  return "?";
}

void AddrExpr::finalize() {
  for (std::size_t f = 0; f < 2; ++f) {
    const bool v6 = f == 1;
    switch (kind) {
      case Kind::Any:
        family_[f] = true;
        break;
      case Kind::Prefix:
        family_[f] = prefix.is_v6() == v6;
        break;
      case Kind::List:
        family_[f] = std::any_of(items.begin(), items.end(),
                                 [v6](const Item& it) { return it.expr->has_family(v6); });
        break;
    }
  }
}

bool AddrExpr::contains(const IpAddr& a) const {
  switch (kind) {
    case Kind::Any:
      return true;
    case Kind::Prefix:
      return prefix.contains(a);
    case Kind::List: {
      bool has_pos = false;
      bool has_neg = false;
      bool in_pos = false;
      bool in_neg = false;
      for (const auto& it : items) {
        if (!it.expr->has_family(a.v6)) continue;
        const bool in = it.expr->contains(a);
        if (it.negated) {
          has_neg = true;
          in_neg = in_neg || in;
        } else {
          has_pos = true;
          in_pos = in_pos || in;
        }
      }
      if (!has_pos && has_neg) in_pos = true;  // pure negation: the family's whole space
      return in_pos && !in_neg;
    }
  }
  return false;
}

void AddrExpr::collect(std::vector<IpPrefix>& out) const {
  if (kind == Kind::Prefix) out.push_back(prefix);
  for (const auto& it : items) it.expr->collect(out);
}

std::string AddrExpr::str() const {
  switch (kind) {
    case Kind::Any:
      return "any";
    case Kind::Prefix:
      return prefix.str();
    case Kind::List: {
      std::string s = "[";
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) s += ",";
        if (items[i].negated) s += "!";
        s += items[i].expr->str();
      }
      return s + "]";
    }
  }
  return "?";
}

bool PortSet::contains(std::uint16_t p) const {
  return std::any_of(ranges.begin(), ranges.end(),
                     [p](const Range& r) { return r.lo <= p && p <= r.hi; });
}

bool PortSet::is_all() const {
  return ranges.size() == 1 && ranges[0].lo == 0 && ranges[0].hi == 65535;
}

PortSet PortSet::unite(const PortSet& o) const {
  std::vector<Range> v = ranges;
  v.insert(v.end(), o.ranges.begin(), o.ranges.end());
  std::sort(v.begin(), v.end());
  PortSet r;
  for (const auto& x : v) {
    if (!r.ranges.empty() && std::uint32_t{x.lo} <= std::uint32_t{r.ranges.back().hi} + 1) {
      r.ranges.back().hi = std::max(r.ranges.back().hi, x.hi);
    } else {
      r.ranges.push_back(x);
    }
  }
  return r;
}

PortSet PortSet::minus(const PortSet& o) const {
  PortSet r;
  for (const auto& x : ranges) {
    std::uint32_t lo = x.lo;
    const std::uint32_t hi = x.hi;
    for (const auto& y : o.ranges) {
      if (y.hi < lo || y.lo > hi) continue;
      if (y.lo > lo) {
        r.ranges.push_back({static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(y.lo - 1)});
      }
      lo = std::uint32_t{y.hi} + 1;
      if (lo > hi) break;
    }
    if (lo <= hi) {
      r.ranges.push_back({static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)});
    }
  }
  return r;
}

std::string PortSet::str() const {
  if (is_all()) return "any";
  std::string s;
  if (ranges.size() != 1) s += "[";
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (i != 0) s += ",";
    s += std::to_string(ranges[i].lo);
    if (ranges[i].hi != ranges[i].lo) s += ":" + std::to_string(ranges[i].hi);
  }
  if (ranges.size() != 1) s += "]";
  return s;
}

bool UintMatch::match(std::uint32_t v) const {
  switch (mode) {
    case Mode::Eq:
      return v == a;
    case Mode::Ne:
      return v != a;
    case Mode::Lt:
      return v < a;
    case Mode::Le:
      return v <= a;
    case Mode::Gt:
      return v > a;
    case Mode::Ge:
      return v >= a;
    case Mode::Range:
      return v > a && v < b;
  }
  return false;
}

std::string UintMatch::str() const {
  switch (mode) {
    case Mode::Eq:
      return std::to_string(a);
    case Mode::Ne:
      return "!" + std::to_string(a);
    case Mode::Lt:
      return "<" + std::to_string(a);
    case Mode::Le:
      return "<=" + std::to_string(a);
    case Mode::Gt:
      return ">" + std::to_string(a);
    case Mode::Ge:
      return ">=" + std::to_string(a);
    case Mode::Range:
      return std::to_string(a) + "<>" + std::to_string(b);
  }
  return "?";
}

bool FlagsMatch::match(std::uint8_t pkt) const {
  const auto f = static_cast<std::uint8_t>(pkt & ~ignore);
  switch (mod) {
    case Mod::Any:
      return (f & flags) != 0;
    case Mod::Plus:
      return (f & flags) == flags;
    case Mod::Not:
      return (f & flags) != flags;
    case Mod::Exact:
      return f == flags;
  }
  return false;
}

namespace {
std::string flag_letters(std::uint8_t f) {
  static constexpr char kL[] = "FSRPAUEC";  // bit 0 .. bit 7
  std::string s;
  for (unsigned i = 0; i < 8; ++i) {
    if (((static_cast<unsigned>(f) >> i) & 1U) != 0) s += kL[i];
  }
  return s.empty() ? "0" : s;
}
}  // namespace

std::string FlagsMatch::str() const {
  std::string s;
  switch (mod) {
    case Mod::Any:
      s = "*";
      break;
    case Mod::Plus:
      s = "+";
      break;
    case Mod::Not:
      s = "!";
      break;
    case Mod::Exact:
      break;
  }
  s += flag_letters(flags);
  if (ignore != 0) s += "," + flag_letters(ignore);
  return s;
}

std::string Content::pattern_str() const {
  std::string s;
  bool in_hex = false;
  for (std::uint8_t c : bytes) {
    const bool printable = c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\' && c != '|';
    if (printable) {
      if (in_hex) s += "|";
      in_hex = false;
      s += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, in_hex ? " %02X" : "%02X", c);
      if (!in_hex) s += "|";
      in_hex = true;
      s += buf;
    }
  }
  if (in_hex) s += "|";
  return s;
}

std::uint32_t Rule::effective_priority() const {
  if (priority) return *priority;
  if (const Classtype* c = find_classtype(classtype)) return c->priority;
  return 3;
}

std::string describe(const Rule& r) {
  std::string s = std::string(action_name(r.action)) + " " + proto_name(r.proto) + " " +
                  r.src.str() + " " + r.sport.str() + (r.bidirectional ? " <> " : " -> ") +
                  r.dst.str() + " " + r.dport.str() + " sid:" + std::to_string(r.gid) + ":" +
                  std::to_string(r.sid) + ":" + std::to_string(r.rev);
  for (const auto& c : r.contents) {
    s += std::string(" content:") + (c.negated ? "!" : "") + "\"" + c.pattern_str() + "\"";
    if (c.nocase) s += ",nocase";
    if (c.offset) s += ",offset " + std::to_string(*c.offset);
    if (c.depth) s += ",depth " + std::to_string(*c.depth);
    if (c.distance) s += ",distance " + std::to_string(*c.distance);
    if (c.within) s += ",within " + std::to_string(*c.within);
    if (c.fast_pattern) s += ",fast_pattern";
    if (c.fast_pattern_only) s += ":only";
    if (c.fast_pattern_chop) {
      s += ":" + std::to_string(c.fast_pattern_chop->first) + "," +
           std::to_string(c.fast_pattern_chop->second);
    }
  }
  if (r.dsize) s += " dsize:" + r.dsize->str();
  if (r.flags) s += " flags:" + r.flags->str();
  if (r.ttl) s += " ttl:" + r.ttl->str();
  if (r.itype) s += " itype:" + r.itype->str();
  if (r.icode) s += " icode:" + r.icode->str();
  if (r.ip_proto) s += " ip_proto:" + r.ip_proto->str();
  return s;
}

}  // namespace dejfa
