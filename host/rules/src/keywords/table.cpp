// SPDX-License-Identifier: Apache-2.0
// The keyword table: every supported keyword, one line each.
#include <array>

#include "keyword.hpp"

namespace dejfa::kw {

extern const KeywordDef kMsg, kSid, kRev, kGid, kClasstype, kPriority, kMetadata, kReference;
extern const KeywordDef kContent, kNocase, kOffset, kDepth, kDistance, kWithin, kFastPattern,
    kRawbytes;
extern const KeywordDef kDsize, kFlags, kTtl, kItype, kIcode, kIpProto;

namespace {
const std::array<const KeywordDef*, 22> kTable{
    &kMsg,     &kSid,    &kRev,    &kGid,   &kClasstype, &kPriority, &kMetadata,    &kReference,
    &kContent, &kNocase, &kOffset, &kDepth, &kDistance,  &kWithin,   &kFastPattern, &kRawbytes,
    &kDsize,   &kFlags,  &kTtl,    &kItype, &kIcode,     &kIpProto,
};
}  // namespace

std::span<const KeywordDef* const> table() { return kTable; }

const KeywordDef* find(std::string_view name) {
  for (const KeywordDef* k : kTable) {
    if (k->name == name) return k;
  }
  return nullptr;
}

}  // namespace dejfa::kw
