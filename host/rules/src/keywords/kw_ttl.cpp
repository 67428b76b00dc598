// SPDX-License-Identifier: Apache-2.0
// ttl: IPv4 TTL / IPv6 hop limit comparison. Ranges exclude both ends, as Suricata's.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  if (c.rule.ttl) return c.fail("ttl: given twice");
  UintMatch m;
  std::string err;
  if (!parse_uint_match(c.value, 255, m, err)) return c.fail("ttl: " + err);
  c.rule.ttl = m;
  return true;
}
}  // namespace
extern const KeywordDef kTtl{"ttl", KeywordDef::Value::Required, apply,
                             "IPv4 TTL / IPv6 hop limit comparison"};
}  // namespace dejfa::kw
