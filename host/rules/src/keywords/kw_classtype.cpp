// SPDX-License-Identifier: Apache-2.0
// classtype: alert category (kept; printed as EVE alert.category).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  if (c.value.empty()) return c.fail("classtype: missing value");
  c.rule.classtype = std::string(c.value);
  return true;
}
}  // namespace
extern const KeywordDef kClasstype{"classtype", KeywordDef::Value::Required, apply,
                                   "alert category"};
}  // namespace dejfa::kw
