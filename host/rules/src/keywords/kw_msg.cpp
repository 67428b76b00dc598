// SPDX-License-Identifier: Apache-2.0
// msg: the alert text (kept, not matched).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  std::string err;
  if (!unquote(c.value, c.rule.msg, err)) return c.fail("msg: " + err);
  return true;
}
}  // namespace
extern const KeywordDef kMsg{"msg", KeywordDef::Value::Required, apply, "alert message"};
}  // namespace dejfa::kw
