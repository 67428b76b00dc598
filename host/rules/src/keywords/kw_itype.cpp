// SPDX-License-Identifier: Apache-2.0
// itype: ICMP type comparison. Ranges exclude both ends, as Suricata's.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  if (c.rule.itype) return c.fail("itype: given twice");
  UintMatch m;
  std::string err;
  if (!parse_uint_match(c.value, 255, m, err)) return c.fail("itype: " + err);
  c.rule.itype = m;
  return true;
}
}  // namespace
extern const KeywordDef kItype{"itype", KeywordDef::Value::Required, apply, "ICMP type comparison"};
}  // namespace dejfa::kw
