// SPDX-License-Identifier: Apache-2.0
// dsize: payload size comparison (n, !n, <n, >n, <=n, >=n, a<>b). Ranges exclude both ends, as
// Suricata's.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  if (c.rule.dsize) return c.fail("dsize: given twice");
  UintMatch m;
  std::string err;
  if (!parse_uint_match(c.value, 65535, m, err)) return c.fail("dsize: " + err);
  c.rule.dsize = m;
  return true;
}
}  // namespace
extern const KeywordDef kDsize{"dsize", KeywordDef::Value::Required, apply,
                               "payload size comparison (n, !n, <n, >n, <=n, >=n, a<>b)"};
}  // namespace dejfa::kw
