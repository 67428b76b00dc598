// SPDX-License-Identifier: Apache-2.0
// depth: the preceding content ends within N bytes of its offset (window [offset, offset+N)).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("depth");
  if (ct == nullptr) return false;
  const auto v = parse_u32(c.value);
  if (!v) return c.fail("depth: '" + std::string(c.value) + "' is not a number");
  if (*v > 65535) return c.fail("depth: " + std::to_string(*v) + " is beyond 65535");
  if (ct->depth) return c.fail("depth: the content already has a depth");
  if (ct->relative()) return c.fail("depth: can't be mixed with distance/within on one content");
  if (*v < ct->bytes.size()) {
    return c.fail("depth: " + std::to_string(*v) + " is shorter than the content (" +
                  std::to_string(ct->bytes.size()) + " bytes), so it can never match");
  }
  ct->depth = *v;
  return true;
}
}  // namespace
extern const KeywordDef kDepth{"depth", KeywordDef::Value::Required, apply,
                               "content lies within N bytes from its offset"};
}  // namespace dejfa::kw
