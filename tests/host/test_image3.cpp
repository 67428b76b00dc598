// SPDX-License-Identifier: Apache-2.0
//
// Image format 3 (docs/IMAGE.md section 4; compile_v3, the image model over hdr::Tables) against
// the reference model: for every frame, the rules the image model matches (by id) are the rules
// the reference model matches (by index) mapped through the compiler's ids, with the same
// alerts, drop and malformed reason, also after rules are disabled and their actions changed at
// run time. Rule sets: the generator's (contents, lists, negation, `<>`, small fields), firewall
// shape with content rules at the 10g and 100g capacities, and the worst case (8,192
// rules, each its own /32 or /128 and port). Frames: the generator's, and frames built from
// packets aimed at the rules' headers (a tenth first fragments).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dejfa/gen/regs.hpp"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/content.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::Packet;
using dejfa::RuleSet;
namespace hw = dejfa::hw;

const hw::Config& cfg_of(const char* name) {
  for (const auto& c : hw::kConfigs) {
    if (c.name == name) return c;
  }
  return hw::kConfigs[0];
}

RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  EXPECT_EQ(lr.stats.skipped, 0U) << (lr.diags.empty() ? "" : lr.diags[0].str());
  return std::move(lr.set);
}

// A frame carrying a decoded packet's header fields (a first fragment when it is one).
std::vector<std::uint8_t> frame_of(const Packet& p, dejfa::testgen::Gen& g) {
  dejfa::FrameSpec s;
  s.v6 = p.v6;
  s.src = p.src;
  s.dst = p.dst;
  s.ttl = p.ttl;
  s.proto = p.proto;
  s.sport = p.sport;
  s.dport = p.dport;
  s.tcp_flags = p.tcp_flags;
  s.icmp_type = p.icmp_type;
  s.icmp_code = p.icmp_code;
  s.more_fragments = p.fragment;
  s.payload.resize(g.u(200));
  for (auto& b : s.payload) b = static_cast<std::uint8_t>(g.u(256));
  return dejfa::build_frame(s);
}

std::vector<std::uint32_t> ids(const std::vector<std::uint32_t>& rules,
                               const std::vector<std::uint32_t>& id_of_rule) {
  std::vector<std::uint32_t> v;
  v.reserve(rules.size());
  for (const auto r : rules) v.push_back(id_of_rule.at(r));
  std::sort(v.begin(), v.end());
  return v;
}

struct Tally {
  std::size_t frames = 0, matched = 0, indexed = 0;
};

::testing::AssertionResult agree(const dejfa::RefModel& ref, const dejfa::ImageModel& im,
                                 const dejfa::CompileResult& res, std::span<const std::uint8_t> f,
                                 Tally& t) {
  const auto a = ref.judge(f);
  const auto b = im.judge(f);
  const auto want = ids(a.matched, res.id_of_rule);
  if (want != b.matched) {
    return ::testing::AssertionFailure()
           << "frame " << t.frames << ": " << want.size() << " rules match in the reference model, "
           << b.matched.size() << " in the image model";
  }
  if (ids(a.alerted, res.id_of_rule) != b.alerted || a.drop != b.drop ||
      a.malformed != b.malformed || a.pass_rule != b.pass_rule) {
    return ::testing::AssertionFailure() << "frame " << t.frames << ": verdicts differ";
  }
  ++t.frames;
  t.matched += b.matched.size();
  const auto rn = res.image.rules_n();
  t.indexed += static_cast<std::size_t>(std::count_if(b.matched.begin(), b.matched.end(),
                                                      [&](std::uint32_t id) { return id >= rn; }));
  return ::testing::AssertionSuccess();
}

// Frames for a set: the generator's and frames aimed at its rules.
std::vector<std::vector<std::uint8_t>> frames_for(const RuleSet& rs, std::uint64_t seed,
                                                  std::size_t n) {
  dejfa::testgen::Gen g(seed);
  std::vector<std::vector<std::uint8_t>> v;
  for (const auto& p : dejfa::testgen::packets_for(rs, seed, n, 0.1)) {
    v.push_back(g.p(0.3) ? g.frame() : frame_of(p, g));
  }
  return v;
}

// Every rule's id is in its region of IMAGE.md 4.1, ids are distinct, unused ids are empty.
::testing::AssertionResult ids_in_regions(const RuleSet& rs, const dejfa::CompileResult& res) {
  const auto rn = res.image.rules_n();
  std::vector<bool> used(res.image.rules.size(), false);
  for (std::size_t r = 0; r < rs.rules.size(); ++r) {
    const auto id = res.id_of_rule[r];
    if (id >= used.size() || used[id]) return ::testing::AssertionFailure() << "rule " << r;
    used[id] = true;
    if (!rs.rules[r].contents.empty() && id >= rn) {
      return ::testing::AssertionFailure() << "content rule " << r << " at id " << id;
    }
    if (res.image.rules[id].sid != rs.rules[r].sid) {
      return ::testing::AssertionFailure() << "id " << id << " holds another rule";
    }
  }
  for (std::size_t id = 0; id < used.size(); ++id) {
    if (!used[id] && !res.image.rules[id].empty()) {
      return ::testing::AssertionFailure() << "unused id " << id << " is not empty";
    }
  }
  return ::testing::AssertionSuccess();
}

// CONT_REC (issue #25's lanes behind the expansion): every content rule's group, checked against
// each packet's classes, their records and its spec vector, is the reference model's header
// match of the rule.
void check_content_groups(const RuleSet& rs, const hw::Config& cfg, const dejfa::CompileResult& res,
                          const dejfa::ImageModel& im,
                          const std::vector<std::vector<std::uint8_t>>& frames) {
  const dejfa::hdr::Tables* tb = im.tables();
  ASSERT_NE(tb, nullptr);
  const auto& cont = res.image.rt[dejfa::hw::rtbl::CONT_REC];
  std::vector<std::size_t> rule_at(res.image.rules.size(), rs.rules.size());
  for (std::size_t r = 0; r < rs.rules.size(); ++r) rule_at[res.id_of_rule[r]] = r;
  // DECIDED (the confirm alone decides the rule): the flag is the one the loader derives, and a
  // decided rule's contents match a payload exactly when its anchor occurs in it.
  std::vector<const dejfa::ImageAnchor*> anchor_of(cont.size(), nullptr);
  for (const auto& a : res.image.anchors) {
    for (std::uint32_t id = a.first; id < a.first + a.count && id < cont.size(); ++id) {
      anchor_of[id] = &a;
    }
  }
  std::size_t decided = 0, decided_found = 0;
  std::vector<bool> is_decided(cont.size());
  for (std::uint32_t id = 0; id < cont.size(); ++id) {
    is_decided[id] = ((cont[id][0] >> dejfa::hw::rec::cont_rec::DECIDED_LSB) & 1U) != 0;
    ASSERT_EQ(is_decided[id], dejfa::decided_by_anchor(res.image, id)) << "CONT_REC entry " << id;
    decided += is_decided[id] ? 1U : 0U;
  }
  std::size_t checked = 0, hits = 0;
  for (const auto& f : frames) {
    const Packet p = dejfa::decode(f, dejfa::DecodeLimits{cfg.hdr_win_b});
    const auto d = dejfa::hdr::descriptor_of(*tb, p, dejfa::hdr::path_eval(*tb, p));
    const std::span<const std::uint8_t> pay =
        p.payload_valid ? std::span<const std::uint8_t>(f).subspan(p.payload_off, p.payload_len)
                        : std::span<const std::uint8_t>{};
    for (std::uint32_t id = 0; id < cont.size(); ++id) {
      ASSERT_LT(rule_at[id], rs.rules.size()) << "CONT_REC entry " << id << " has no rule";
      const dejfa::Rule& r = rs.rules[rule_at[id]];
      ASSERT_FALSE(r.contents.empty()) << "CONT_REC entry " << id;
      const bool want = p.ip && dejfa::header_match(r, p);
      ASSERT_EQ(dejfa::hdr::content_match(*tb, d, id), want)
          << cfg.name << ": content rule id " << id << " (" << r.text << "), frame " << checked;
      hits += want ? 1U : 0U;
      if (is_decided[id]) {
        const auto& a = *anchor_of[id];
        const bool found = dejfa::find_bytes(pay, a.bytes, a.nocase) >= 0;
        ASSERT_EQ(dejfa::content_match(r.contents, pay), found)
            << cfg.name << ": decided rule id " << id << " (" << r.text << "), frame " << checked;
        decided_found += found ? 1U : 0U;
      }
    }
    ++checked;
  }
  std::size_t content_rules = 0;
  for (const auto& r : rs.rules) content_rules += r.contents.empty() ? 0U : 1U;
  EXPECT_EQ(cont.size(), content_rules) << "one CONT_REC entry per content rule";
  if (content_rules != 0) {
    EXPECT_GT(hits, frames.size() / 10) << "content rules' headers must match";
  }
  std::printf(
      "%s: %zu content rules' groups checked on %zu frames, %zu header matches; %zu rules "
      "decided by the confirm, their anchors in %zu payloads\n",
      std::string(cfg.name).c_str(), cont.size(), checked, hits, decided, decided_found);
}

void check_set(const RuleSet& rs, const hw::Config& cfg, std::uint64_t seed, std::size_t nframes,
               bool tune) {
  const auto res = dejfa::compile_v3(rs, cfg);
  ASSERT_TRUE(res.ok) << (res.diags.empty() ? "" : res.diags[0].message);
  ASSERT_TRUE(ids_in_regions(rs, res));
  dejfa::RefModel ref(rs, dejfa::DecodeLimits{cfg.hdr_win_b});
  dejfa::ImageModel im(res.image);
  const auto frames = frames_for(rs, seed, nframes);
  Tally t;
  for (const auto& f : frames) ASSERT_TRUE(agree(ref, im, res, f, t)) << cfg.name;
  std::printf("%s: %zu rules in %zu ids; %zu frames, %zu matches (%zu of indexed rules)\n",
              std::string(cfg.name).c_str(), rs.rules.size(), res.image.rules.size(), t.frames,
              t.matched, t.indexed);
  EXPECT_GT(t.matched, nframes / 4);
  EXPECT_GT(t.indexed, nframes / 20) << "indexed rules must match";
  ASSERT_NO_FATAL_FAILURE(check_content_groups(rs, cfg, res, im, frames));
  if (!tune) return;
  // A quarter of the rules disabled, a quarter given another action, on both models.
  dejfa::testgen::Gen g(seed + 1);
  for (std::size_t r = 0; r < rs.rules.size(); ++r) {
    const auto id = res.id_of_rule[r];
    if (g.p(0.25)) {
      ref.set_enabled(r, false);
      im.set_enabled(id, false);
    } else if (g.p(0.33)) {
      const auto a = static_cast<dejfa::Action>(g.u(4));
      ref.set_action(r, a);
      im.set_action(id, a);
    }
  }
  Tally u;
  for (const auto& f : frames) ASSERT_TRUE(agree(ref, im, res, f, u)) << cfg.name << " tuned";
  EXPECT_LT(u.matched, t.matched);
}

TEST(Image3, RandomSetsEqualTheReferenceModel) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto& cfg = cfg_of(seed % 2 == 0 ? "10g" : "100g");
    dejfa::testgen::Gen g(seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    check_set(g.rules(seed % 2 == 0 ? 60 : 150), cfg, seed + 10, 3000, true);
  }
}

TEST(Image3, FirewallShapeWithContentRulesAtCapacity) {
  for (const char* name : {"10g", "100g"}) {
    const auto& cfg = cfg_of(name);
    const auto groups = std::string(name) == "10g" ? 4096U : 8192U;
    RuleSet rs;
    for (std::uint32_t n = groups;; n = n * 15 / 16) {
      dejfa::testgen::Gen g(41);
      std::string text = g.firewall_shape(n);
      for (const auto& r : g.rules(cfg.rules_n / 8).rules) text += r.text + "\n";
      rs = parse(text);
      if (dejfa::compile_v3(rs, cfg).ok) break;
    }
    check_set(rs, cfg, 42, 3000, true);
    EXPECT_GT(rs.rules.size() * 4, groups * 3) << name << ": near capacity";
  }
}

// The worst case: 8,192 rules, each its own /32 or /128 and port, in one 100g image;
// 10g is refused naming GROUPS_N.
TEST(Image3, EveryRuleItsOwnAddressAndPort) {
  dejfa::testgen::Gen g(11);
  const auto rs = parse(g.firewall_own(8192));
  check_set(rs, cfg_of("100g"), 12, 2000, false);
  const auto res10 = dejfa::compile_v3(rs, cfg_of("10g"));
  EXPECT_FALSE(res10.ok);
  ASSERT_FALSE(res10.diags.empty());
  EXPECT_NE(res10.diags[0].message.find("GROUPS_N"), std::string::npos) << res10.diags[0].message;
}

// The binary form (IMAGE.md 4.6): a format-3 image round-trips exactly and judges as before;
// the hardware's format (2) refuses it and a format-2 image is refused as format 3.
TEST(Image3, RoundTripAndFormatChecks) {
  dejfa::testgen::Gen g(51);
  std::string text = g.firewall_shape(600);
  for (const auto& r : g.rules(40).rules) text += r.text + "\n";
  const auto rs = parse(text);
  for (const char* name : {"10g", "100g"}) {
    const auto& cfg = cfg_of(name);
    const auto res = dejfa::compile_v3(rs, cfg);
    ASSERT_TRUE(res.ok) << (res.diags.empty() ? "" : res.diags[0].message);
    const auto bytes = dejfa::encode(res.image);
    dejfa::Image back;
    std::string err;
    ASSERT_TRUE(dejfa::decode_image(bytes, &cfg, back, err, 3)) << err;
    EXPECT_EQ(back.format, 3U);
    EXPECT_EQ(dejfa::encode(back), bytes);
    const dejfa::ImageModel a(res.image);
    const dejfa::ImageModel b(back);
    std::size_t matched = 0;
    for (const auto& f : frames_for(rs, 52, 1500)) {
      const auto va = a.judge(f);
      ASSERT_EQ(va.matched, b.judge(f).matched);
      matched += va.matched.size();
    }
    EXPECT_GT(matched, 300U);
    std::printf("%s: %zu bytes, %zu ids\n", name, bytes.size(), back.rules.size());
    // The core loads format 3: a format-2 image is refused, naming both versions; asked for
    // format 2, a format-3 image is refused.
    EXPECT_FALSE(dejfa::decode_image(bytes, &cfg, back, err, 2));
    EXPECT_NE(err.find("version 3, version 2 was asked for"), std::string::npos) << err;
    const auto v2 =
        dejfa::encode(dejfa::compile_v2(parse("alert tcp any any -> any 80 (sid:1;)"), cfg).image);
    EXPECT_FALSE(dejfa::decode_image(v2, &cfg, back, err));
    EXPECT_NE(err.find("image format version 2, the hardware loads version 3"), std::string::npos)
        << err;
    // Version 1's header sections have no place in format 3.
    auto b2 = v2;
    b2[8] = 3;
    b2[20] = b2[21] = b2[22] = b2[23] = 0;
    const std::uint32_t crc = dejfa::crc32(b2);
    std::memcpy(&b2[20], &crc, 4);
    EXPECT_FALSE(dejfa::decode_image(b2, &cfg, back, err, 3));
    EXPECT_NE(err.find("ADDR_PREFIX is not part of format 3"), std::string::npos) << err;
  }
}

// ANCHORS (IMAGE.md 4.4): the content rules in anchor order, each anchor's rules one range, and
// the filter exact: on every frame, each content rule the reference model matches has its
// anchor in the payload; and it filters: most header-matched content rules are not candidates.
TEST(Image3, AnchorsRangeTheContentRulesAndFilterExactly) {
  dejfa::testgen::Gen g(55);
  const auto rs = g.rules(200);
  const auto& cfg = cfg_of("100g");
  const auto res = dejfa::compile_v3(rs, cfg);
  ASSERT_TRUE(res.ok) << (res.diags.empty() ? "" : res.diags[0].message);
  const dejfa::Image& img = res.image;
  ASSERT_FALSE(img.anchors.empty());
  std::vector<std::uint32_t> anchor_of(img.rules.size(), ~0U);
  std::uint32_t next = 0;
  for (std::uint32_t a = 0; a < img.anchors.size(); ++a) {
    ASSERT_EQ(img.anchors[a].first, next);
    for (std::uint32_t id = next; id < next + img.anchors[a].count; ++id) anchor_of[id] = a;
    next += img.anchors[a].count;
  }
  std::size_t negated_only = 0;
  for (std::size_t r = 0; r < rs.rules.size(); ++r) {
    const auto& c = rs.rules[r].contents;
    if (c.empty()) continue;
    const bool positive = std::any_of(c.begin(), c.end(), [](const auto& x) { return !x.negated; });
    EXPECT_EQ(res.id_of_rule[r] < next, positive) << "rule " << r;
    negated_only += positive ? 0 : 1;
  }
  dejfa::RefModel ref(rs, dejfa::DecodeLimits{cfg.hdr_win_b});
  const dejfa::ImageModel im(img);
  std::size_t content_matches = 0, header_matched = 0, candidates = 0;
  for (const auto& f : frames_for(rs, 56, 3000)) {
    const Packet p = dejfa::decode(f, dejfa::DecodeLimits{cfg.hdr_win_b});
    const auto payload = p.payload_valid ? std::span(f).subspan(p.payload_off, p.payload_len)
                                         : std::span<const std::uint8_t>{};
    const auto in = im.anchors_in(payload);
    for (const auto r : ref.judge(f).matched) {
      const auto a = anchor_of[res.id_of_rule[r]];
      if (a == ~0U) continue;
      ++content_matches;
      ASSERT_TRUE(std::binary_search(in.begin(), in.end(), a)) << "rule " << r;
    }
    if (!p.ip) continue;
    const auto hb = im.header_bits(p);
    for (std::uint32_t id = 0; id < next; ++id) {
      if (((hb[id / 32] >> (id % 32)) & 1U) == 0) continue;
      ++header_matched;
      candidates += std::binary_search(in.begin(), in.end(), anchor_of[id]) ? 1U : 0U;
    }
  }
  std::printf(
      "%zu anchors for %u content rules (%zu without); %zu content-rule matches; "
      "%zu header-matched content rules, %zu of them candidates\n",
      img.anchors.size(), next, negated_only, content_matches, header_matched, candidates);
  EXPECT_GT(content_matches, 100U);
  EXPECT_LT(candidates * 2, header_matched) << "the anchors filter";
}

// Every truncation and every flipped bit is refused (the CRC, then the checks behind it).
TEST(Image3, LoaderRefusesTruncationsAndBitFlips) {
  const auto& cfg = cfg_of("10g");
  dejfa::testgen::Gen g(53);
  const auto rs = g.rules(40);
  const auto bytes = dejfa::encode(dejfa::compile_v3(rs, cfg).image);
  dejfa::Image img;
  std::string err;
  for (std::size_t n = 0; n < bytes.size(); n += (n < 512 ? 1 : 4099)) {
    EXPECT_FALSE(dejfa::decode_image(std::span(bytes).first(n), &cfg, img, err, 3)) << n;
  }
  for (std::size_t i = 0; i < bytes.size(); i += 4099) {
    auto b = bytes;
    b[i] ^= static_cast<std::uint8_t>(1U << (i % 8));
    EXPECT_FALSE(dejfa::decode_image(b, &cfg, img, err, 3)) << "flip at " << i;
  }
}

// Images with a valid CRC whose tables the compiler could not have written are refused, naming
// what is wrong: each case changes one thing of a good image.
TEST(Image3, LoaderRefusesTablesTheCompilerCannotWrite) {
  namespace rt = dejfa::hw::rtbl;
  const auto& cfg = cfg_of("10g");
  dejfa::testgen::Gen g(54);
  const auto good = dejfa::compile_v3(g.rules(60), cfg).image;
  struct Case {
    const char* what;
    std::function<void(dejfa::Image&)> change;
  };
  const std::vector<Case> cases = {
      {"ADDR_BOUNDS) must start", [](dejfa::Image& i) { i.rt[rt::ADDR_BOUNDS][0][0] = 1; }},
      {"not ascending",
       [](dejfa::Image& i) { std::swap(i.rt[rt::ADDR_BOUNDS][1], i.rt[rt::ADDR_BOUNDS][2]); }},
      {"above its width", [](dejfa::Image& i) { i.rt[rt::ADDR_BOUNDS][1][4] = 2; }},
      {"a slot names group",
       [](dejfa::Image& i) {
         // Slot 0 of address class 0: valid, naming the group one past the last.
         const auto n = static_cast<std::uint32_t>(i.rt[rt::GROUP_REC].size());
         auto& w = i.rt[rt::ADDR_REC][0][0];
         w = (w & ~0xFFFFU) | 1U | n << 2;
       }},
      {"GROUP_EN entries", [](dejfa::Image& i) { i.rt[rt::GROUP_EN].pop_back(); }},
      {"names port class", [](dejfa::Image& i) { i.rt[rt::PORT_CLS][80][0] = 60000; }},
      {"65536 expected", [](dejfa::Image& i) { i.rt[rt::WCLS_PORT].pop_back(); }},
      {"names no rows", [](dejfa::Image& i) { i.rt[rt::S_TTL_MAP][64][0] = 63; }},
      {"more than the configuration's",
       [](dejfa::Image& i) { i.rt[rt::S_DSIZE_BOUNDS].resize(33); }},
      {"unknown section id 71", [](dejfa::Image& i) { i.rt[7].resize(1); }},
      {"(one per content rule)", [](dejfa::Image& i) { i.rt[rt::CONT_REC].pop_back(); }},
      // DECIDED taken away from a rule the confirm decides, and given to one it does not
      {"DECIDED is 0, but the rule's program and anchor say 1",
       [](dejfa::Image& i) {
         for (auto& e : i.rt[rt::CONT_REC]) {
           if ((e[0] >> 16 & 1U) != 0) {
             e[0] ^= 1U << 16;
             return;
           }
         }
       }},
      {"DECIDED is 1, but the rule's program and anchor say 0",
       [](dejfa::Image& i) {
         for (auto& e : i.rt[rt::CONT_REC]) {
           if ((e[0] >> 16 & 1U) == 0) {
             e[0] ^= 1U << 16;
             return;
           }
         }
       }},
      {"(CONT_REC) entry 3 (sid",
       [](dejfa::Image& i) {
         i.rt[rt::CONT_REC][3][0] = static_cast<std::uint32_t>(i.rt[rt::GROUP_REC].size());
       }},
      {"32 expected", [](dejfa::Image& i) { i.rt[rt::S_DSIZE_BOUNDS].pop_back(); }},
      {"4 expected", [](dejfa::Image& i) { i.rt[rt::WBIDIR].pop_back(); }},
      {"not whole rows", [](dejfa::Image& i) { i.rt[rt::WROWS_SRC].pop_back(); }},
      {"an unused lane is set",
       [](dejfa::Image& i) {
         // 10g small rows: 12 lanes in 16 indices; index 12 of row 0 is unused.
         i.rt[rt::S_TTL_ROWS][12][0] = 1;
       }},
      {"payload-size classes",
       [](dejfa::Image& i) {
         auto& b = i.rt[rt::S_DSIZE_BOUNDS];
         b[b.size() - 1][0] = 1U << 16 | 65535U;  // one more valid boundary than rows
         for (std::uint32_t k = 0; k + 1 < b.size(); ++k) b[k][0] = 1U << 16 | k;
       }},
      {"ranges beyond its",
       [](dejfa::Image& i) {
         // Group 0's destination range ends one past the last address class.
         const auto& b = dejfa::hdr::kGroupRecFields[1];
         auto& e = i.rt[rt::GROUP_REC][0];
         const auto n = static_cast<std::uint32_t>(i.rt[rt::ADDR_BOUNDS].size()) + 1;
         for (unsigned k = 0; k < b.w; ++k) {
           const unsigned bit = b.hi0 + k;
           e[bit / 32] = (e[bit / 32] & ~(1U << (bit % 32))) | ((n >> k) & 1U) << (bit % 32);
         }
       }},
      {"disagrees with RULES entry",
       [](dejfa::Image& i) {
         // The first indexed rule's action in RULES, not in GROUP_EN.
         for (std::size_t id = i.rules_n(); id < i.rules.size(); ++id) {
           if (!i.rules[id].empty()) {
             i.rules[id].action = i.rules[id].action == dejfa::Action::Drop ? dejfa::Action::Alert
                                                                            : dejfa::Action::Drop;
             break;
           }
         }
       }},
      {"is not an empty entry",
       [](dejfa::Image& i) { i.rules.back() = dejfa::ImageRule{}, i.rules.back().rev = 1; }},
      // ANCHORS (IMAGE.md 4.4): every anchor in a positive content of every rule of its range,
      // the ranges tiling the content rules from id 0, every positive content rule covered.
      {"is in no positive content",
       [](dejfa::Image& i) { i.anchors[0].bytes = {0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE}; }},
      {"must tile", [](dejfa::Image& i) { ++i.anchors[1].first; }},
      {"must tile", [](dejfa::Image& i) { i.anchors[0].count = 0; }},
      {"out of range (1-8, 0-1)", [](dejfa::Image& i) { i.anchors[0].bytes.clear(); }},
      {"upper-case bytes",
       [](dejfa::Image& i) {
         i.anchors[0].nocase = true;
         i.anchors[0].bytes = {'A'};
       }},
      {"has a positive content and no anchor", [](dejfa::Image& i) { i.anchors.pop_back(); }},
      {"indexed rule with contents",
       [](dejfa::Image& i) {
         for (std::size_t id = i.rules_n(); id < i.rules.size(); ++id) {
           if (!i.rules[id].empty()) {
             i.rules[id].ncontents = 1;
             break;
           }
         }
       }},
  };
  for (const auto& c : cases) {
    dejfa::Image bad = good;
    c.change(bad);
    dejfa::Image img;
    std::string err;
    EXPECT_FALSE(dejfa::decode_image(dejfa::encode(bad), &cfg, img, err, 3)) << c.what;
    EXPECT_NE(err.find(c.what), std::string::npos) << c.what << ": " << err;
  }
}

}  // namespace
