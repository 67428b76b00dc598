// SPDX-License-Identifier: Apache-2.0
// offset: the preceding content starts at or after this payload byte.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("offset");
  if (ct == nullptr) return false;
  const auto v = parse_u32(c.value);
  if (!v) return c.fail("offset: '" + std::string(c.value) + "' is not a number");
  if (*v > 65535) return c.fail("offset: " + std::to_string(*v) + " is beyond 65535");
  if (ct->offset) return c.fail("offset: the content already has an offset");
  if (ct->relative()) return c.fail("offset: can't be mixed with distance/within on one content");
  ct->offset = *v;
  return true;
}
}  // namespace
extern const KeywordDef kOffset{"offset", KeywordDef::Value::Required, apply,
                                "content starts at or after byte N"};
}  // namespace dejfa::kw
