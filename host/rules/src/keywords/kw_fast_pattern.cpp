// SPDX-License-Identifier: Apache-2.0
// fast_pattern: a hint naming the content to prefilter on. dejfa's matcher finds every
// literal exactly, so the hint never changes a verdict; `only` and `chop` forms are accepted.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("fast_pattern");
  if (ct == nullptr) return false;
  ct->fast_pattern = true;
  return true;
}
}  // namespace
extern const KeywordDef kFastPattern{"fast_pattern", KeywordDef::Value::Optional, apply,
                                     "prefilter hint (no effect on verdicts)"};
}  // namespace dejfa::kw
