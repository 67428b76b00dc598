// SPDX-License-Identifier: Apache-2.0
// nocase: the preceding content matches ASCII letters in either case (other bytes exactly).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("nocase");
  if (ct == nullptr) return false;
  if (ct->nocase) return c.fail("nocase: the content already has nocase");
  ct->nocase = true;
  return true;
}
}  // namespace
extern const KeywordDef kNocase{"nocase", KeywordDef::Value::None, apply,
                                "case-insensitive (ASCII) content"};
}  // namespace dejfa::kw
