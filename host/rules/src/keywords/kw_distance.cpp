// SPDX-License-Identifier: Apache-2.0
// distance: the preceding content starts N bytes (may be negative) after the end of the match
// of the content before it.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("distance");
  if (ct == nullptr) return false;
  const auto v = parse_i32(c.value);
  if (!v || *v < -65535 || *v > 65535) {
    return c.fail("distance: '" + std::string(c.value) + "' is not a number in -65535..65535");
  }
  if (ct->distance) return c.fail("distance: the content already has a distance");
  if (ct->offset || ct->depth) {
    return c.fail("distance: can't be mixed with offset/depth on one content");
  }
  ct->distance = *v;
  return true;
}
}  // namespace
extern const KeywordDef kDistance{"distance", KeywordDef::Value::Required, apply,
                                  "relative start after the previous match"};
}  // namespace dejfa::kw
