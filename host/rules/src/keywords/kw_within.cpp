// SPDX-License-Identifier: Apache-2.0
// within: the preceding content ends within N bytes of the end of the previous match (plus
// distance).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("within");
  if (ct == nullptr) return false;
  const auto v = parse_i32(c.value);
  if (!v || *v < 0 || *v > 65535) {
    return c.fail("within: '" + std::string(c.value) + "' is not a number in 0..65535");
  }
  if (ct->within) return c.fail("within: the content already has a within");
  if (ct->offset || ct->depth)
    return c.fail("within: can't be mixed with offset/depth on one content");
  if (static_cast<std::size_t>(*v) < ct->bytes.size()) {
    return c.fail("within: " + std::to_string(*v) + " is shorter than the content (" +
                  std::to_string(ct->bytes.size()) + " bytes), so it can never match");
  }
  ct->within = static_cast<std::uint32_t>(*v);
  return true;
}
}  // namespace
extern const KeywordDef kWithin{"within", KeywordDef::Value::Required, apply,
                                "relative end limit after the previous match"};
}  // namespace dejfa::kw
