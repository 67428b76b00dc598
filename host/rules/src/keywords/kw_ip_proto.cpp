// SPDX-License-Identifier: Apache-2.0
// ip_proto: the IP protocol number (after IPv6 extension headers), by number or name, with
// the comparisons !, < and >.
#include <array>
#include <utility>

#include "keyword.hpp"

namespace dejfa::kw {
namespace {

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 14> kNames{{
    {"icmp", 1},
    {"igmp", 2},
    {"ipip", 4},
    {"tcp", 6},
    {"udp", 17},
    {"ipv6", 41},
    {"ipv6-route", 43},
    {"ipv6-frag", 44},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"ipv6-icmp", 58},
    {"ipv6-nonxt", 59},
    {"sctp", 132},
}};

bool apply(Ctx& c) {
  if (c.rule.ip_proto) return c.fail("ip_proto: given twice");
  std::string_view v = c.value;
  std::string prefix;
  while (!v.empty() && (v.front() == '!' || v.front() == '<' || v.front() == '>')) {
    prefix += v.front();
    v.remove_prefix(1);
  }
  std::string num(v);
  for (const auto& [name, n] : kNames) {
    if (v == name) num = std::to_string(n);
  }
  UintMatch m;
  std::string err;
  if (!parse_uint_match(prefix + num, 255, m, err)) {
    return c.fail("ip_proto: '" + std::string(c.value) + "': " + err);
  }
  if (m.mode == UintMatch::Mode::Range || m.mode == UintMatch::Mode::Le ||
      m.mode == UintMatch::Mode::Ge) {
    return c.fail("ip_proto: only N, !N, <N and >N are allowed");
  }
  c.rule.ip_proto = m;
  return true;
}

}  // namespace
extern const KeywordDef kIpProto{"ip_proto", KeywordDef::Value::Required, apply,
                                 "IP protocol number or name"};
}  // namespace dejfa::kw
