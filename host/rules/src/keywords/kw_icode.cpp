// SPDX-License-Identifier: Apache-2.0
// icode: ICMP code comparison. Ranges exclude both ends, as Suricata's.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  if (c.rule.icode) return c.fail("icode: given twice");
  UintMatch m;
  std::string err;
  if (!parse_uint_match(c.value, 255, m, err)) return c.fail("icode: " + err);
  c.rule.icode = m;
  return true;
}
}  // namespace
extern const KeywordDef kIcode{"icode", KeywordDef::Value::Required, apply, "ICMP code comparison"};
}  // namespace dejfa::kw
