// SPDX-License-Identifier: Apache-2.0
//
// Rule image: round trip, strict loading, capacity limits, and equivalence of the image model
// (tables only) with the reference model (IR) on generated rule sets and traffic.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

#include "../common/randgen.hpp"
#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::hw::kConfigs;

const dejfa::hw::Config& cfg10() { return kConfigs[0]; }
const dejfa::hw::Config& cfg100() { return kConfigs[1]; }

dejfa::RuleSet parse(const std::string& text) {
  auto r = dejfa::parse_rule_string(text);
  for (const auto& d : r.diags) ADD_FAILURE() << d.str();
  return std::move(r.set);
}

const char* kRules =
    "alert tcp $HOME_NET any -> $EXTERNAL_NET [80,443] (msg:\"web\"; content:\"GET \"; depth:4; "
    "sid:1;)\n"
    "drop udp any any <> 10.1.0.0/16 53 (msg:\"dns\"; dsize:>300; sid:2; classtype:bad;)\n"
    "alert icmp any any -> any any (itype:8; sid:3;)\n"
    "pass tcp 10.9.9.9 any -> any any (sid:4;)\n"
    "alert tcp any any -> any any (content:\"0123456789012345678901234567890123456789012345678"
    "90123456789012345678901\"; content:!\"x\"; distance:-2; within:9; sid:5;)\n";

TEST(Image, RoundTripIsExact) {
  const auto rs = parse(kRules);
  for (const auto* cfg : {&cfg10(), &cfg100()}) {
    const auto res = dejfa::compile_v2(rs, *cfg);
    ASSERT_TRUE(res.ok);
    const auto bytes = dejfa::encode(res.image);
    dejfa::Image back;
    std::string err;
    ASSERT_TRUE(dejfa::decode_image(bytes, cfg, back, err, 2)) << err;
    EXPECT_EQ(dejfa::encode(back), bytes);
    EXPECT_EQ(dejfa::dump(back), dejfa::dump(res.image));
    EXPECT_EQ(back.rules.at(1).classtype, "bad");
    EXPECT_EQ(back.literals.size(), 4U) << "GET, 64+7-byte content as two pieces, x";
    EXPECT_EQ(dejfa::config_of(back), cfg);
  }
}

TEST(Image, LoaderRefusesEveryTruncation) {
  const auto bytes = dejfa::encode(dejfa::compile_v2(parse(kRules), cfg10()).image);
  for (std::size_t n = 0; n < bytes.size(); n += (n < 256 ? 1 : 97)) {
    dejfa::Image img;
    std::string err;
    EXPECT_FALSE(dejfa::decode_image(std::span(bytes).first(n), &cfg10(), img, err, 2)) << n;
    EXPECT_FALSE(err.empty());
  }
  dejfa::Image img;
  std::string err;
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(dejfa::decode_image(longer, &cfg10(), img, err, 2));
  EXPECT_NE(err.find("trailing"), std::string::npos) << err;
}

TEST(Image, LoaderRefusesBitFlipsWrongMagicVersionAndParameters) {
  const auto bytes = dejfa::encode(dejfa::compile_v2(parse(kRules), cfg10()).image);
  dejfa::Image img;
  std::string err;
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    auto b = bytes;
    b[i] ^= static_cast<std::uint8_t>(1U << (i % 8));
    EXPECT_FALSE(dejfa::decode_image(b, &cfg10(), img, err, 2)) << "flip at " << i;
  }
  auto b = bytes;
  b[0] = 'X';
  EXPECT_FALSE(dejfa::decode_image(b, &cfg10(), img, err, 2));
  EXPECT_NE(err.find("magic"), std::string::npos) << err;
  b = bytes;
  b[8] = 9;  // version 9, CRC recomputed so the version check is what refuses it
  b[20] = b[21] = b[22] = b[23] = 0;
  const std::uint32_t crc = dejfa::crc32(b);
  std::memcpy(&b[20], &crc, 4);
  EXPECT_FALSE(dejfa::decode_image(b, &cfg10(), img, err, 2));
  EXPECT_NE(err.find("version 9"), std::string::npos) << err;
  EXPECT_FALSE(dejfa::decode_image(bytes, &cfg100(), img, err, 2));
  EXPECT_NE(err.find("compiled for configuration 10g"), std::string::npos) << err;
  EXPECT_NE(err.find("DATA_W 64 (hardware 512)"), std::string::npos) << err;
  b = bytes;
  b[22] ^= 0x10;
  EXPECT_FALSE(dejfa::decode_image(b, &cfg10(), img, err, 2));
  EXPECT_NE(err.find("CRC mismatch"), std::string::npos) << err;
}

TEST(Image, LoaderRefusesNonCanonicalImages) {
  // Found by fuzz_image: an image with a non-zero reserved field and a valid CRC decoded, but
  // did not re-encode to itself. Only what the compiler writes is accepted.
  auto b = dejfa::encode(dejfa::compile_v2(parse(kRules), cfg10()).image);
  std::uint32_t rules_off = 0;
  std::memcpy(&rules_off, &b[32 + 4 * dejfa::hw::kParamNames.size() + 4], 4);  // RULES offset
  b[rules_off + 36] = 1;  // the reserved word of rule 0
  b[20] = b[21] = b[22] = b[23] = 0;
  const std::uint32_t crc = dejfa::crc32(b);
  std::memcpy(&b[20], &crc, 4);
  dejfa::Image img;
  std::string err;
  EXPECT_FALSE(dejfa::decode_image(b, &cfg10(), img, err, 2));
  EXPECT_NE(err.find("canonical"), std::string::npos) << err;
}

// The models keep references: a temporary would dangle, so it does not compile.
static_assert(!std::is_constructible_v<dejfa::ImageModel, dejfa::Image&&>);
static_assert(std::is_constructible_v<dejfa::ImageModel, const dejfa::Image&>);
static_assert(!std::is_constructible_v<dejfa::RefModel, dejfa::RuleSet&&>);
static_assert(std::is_constructible_v<dejfa::RefModel, const dejfa::RuleSet&>);

// A crafted image with a valid CRC (encode() computes it) whose address table the datapath
// and the image model could not use is refused, naming why: without a family root an address
// has no class (the image model indexed past its rows), host bits beyond a prefix's length, and
// entries out of longest-first order.
TEST(Image, LoaderRefusesUnusableAddressTables) {
  const auto base = dejfa::compile_v2(parse(kRules), cfg10()).image;
  ASSERT_GE(base.addr.size(), 3U);
  auto refused = [&](const dejfa::Image& img) {
    dejfa::Image out;
    std::string err;
    EXPECT_FALSE(dejfa::decode_image(dejfa::encode(img), &cfg10(), out, err, 2));
    return err;
  };
  {
    dejfa::Image img = base;  // no prefixes at all
    img.addr.clear();
    img.addr_rows.clear();
    EXPECT_NE(refused(img).find("lacks the IPv4 family root"), std::string::npos);
  }
  for (const bool v6 : {false, true}) {
    dejfa::Image img = base;  // one root missing
    for (std::size_t c = 0; c < img.addr.size(); ++c) {
      if (img.addr[c].prefix.len == 1 && img.addr[c].prefix.addr.v6 == v6) {
        img.addr.erase(img.addr.begin() + static_cast<std::ptrdiff_t>(c));
        img.addr_rows.erase(img.addr_rows.begin() + static_cast<std::ptrdiff_t>(2 * c),
                            img.addr_rows.begin() + static_cast<std::ptrdiff_t>(2 * c + 2));
        break;
      }
    }
    const std::string want = v6 ? "lacks the IPv6 family root" : "lacks the IPv4 family root";
    EXPECT_NE(refused(img).find(want), std::string::npos) << want;
  }
  {
    dejfa::Image img = base;  // a host bit set past the prefix
    auto it = std::find_if(img.addr.begin(), img.addr.end(),
                           [](const dejfa::AddrEntry& e) { return e.prefix.len == 113; });
    ASSERT_NE(it, img.addr.end()) << "10.1.0.0/16 is an entry";
    it->prefix.addr.b[15] |= 1;
    EXPECT_NE(refused(img).find("address bits beyond its length"), std::string::npos);
  }
  {
    dejfa::Image img = base;  // a root before a longer prefix
    std::swap(img.addr.front(), img.addr.back());
    EXPECT_NE(refused(img).find("longest first"), std::string::npos);
  }
}

// fitting_run: the longest run of rules from a start that compiles, whichever limit binds.
TEST(Image, FittingRunIsTheLongestRunThatCompiles) {
  std::string text;
  for (int i = 1; i <= 600; ++i)
    text += "alert ip any any -> any any (sid:" + std::to_string(i) + ";)\n";
  const auto rs = parse(text);
  EXPECT_EQ(dejfa::fitting_run(rs, 0, cfg10(), 2), 256U);    // RULES_N binds
  EXPECT_EQ(dejfa::fitting_run(rs, 500, cfg10(), 2), 100U);  // the rest fits
  EXPECT_EQ(dejfa::fitting_run(rs, 600, cfg10(), 2), 0U);    // nothing left
  EXPECT_EQ(dejfa::fitting_run(rs, 0, cfg100(), 2), 600U);

  text.clear();  // port boundaries bind first: each rule adds two
  for (int i = 1; i <= 60; ++i) {
    text += "alert tcp any " + std::to_string(100 * i) + " -> any any (sid:" + std::to_string(i) +
            ";)\n";
  }
  const auto ports = parse(text);
  const std::size_t n = dejfa::fitting_run(ports, 0, cfg10(), 2);
  ASSERT_GT(n, 0U);
  ASSERT_LT(n, 60U);
  dejfa::RuleSet part;
  part.rules.assign(ports.rules.begin(), ports.rules.begin() + static_cast<long>(n));
  EXPECT_TRUE(dejfa::compile_v2(part, cfg10()).ok);
  part.rules.push_back(ports.rules[n]);
  EXPECT_FALSE(dejfa::compile_v2(part, cfg10()).ok) << "one more rule must not fit";
}

TEST(Image, CapacityErrorsNameTheLimit) {
  std::string text;
  for (int i = 1; i <= 257; ++i)
    text += "alert ip any any -> any any (sid:" + std::to_string(i) + ";)\n";
  auto res = dejfa::compile_v2(parse(text), cfg10());
  EXPECT_FALSE(res.ok);
  ASSERT_FALSE(res.diags.empty());
  EXPECT_NE(
      res.diags[0].message.find("rule slots (RULES_N): 257 needed, the 10g configuration has 256"),
      std::string::npos)
      << res.diags[0].message;
  EXPECT_TRUE(dejfa::compile_v2(parse(text), cfg100()).ok) << "fits 100g";

  text.clear();
  for (int i = 1; i <= 40; ++i) {
    text += "alert tcp any " + std::to_string(100 * i) + " -> any any (sid:" + std::to_string(i) +
            ";)\n";
  }
  res = dejfa::compile_v2(parse(text), cfg10());
  EXPECT_FALSE(res.ok);
  EXPECT_NE(res.diags.at(0).message.find("PORTB_N"), std::string::npos);

  // n exact ttl values make n + 1 classes: CLS_N is 64 in both configurations.
  for (const int n : {60, 70}) {
    text.clear();
    for (int i = 1; i <= n; ++i) {
      text += "alert ip any any -> any any (ttl:" + std::to_string(i * 3) +
              "; sid:" + std::to_string(i) + ";)\n";
    }
    res = dejfa::compile_v2(parse(text), cfg10());
    EXPECT_EQ(res.ok, n == 60) << n;
    if (n == 70) {
      EXPECT_NE(res.diags.at(0).message.find("ttl classes (CLS_N)"), std::string::npos);
      EXPECT_FALSE(dejfa::compile_v2(parse(text), cfg100()).ok);
    }
  }
}

struct EqCase {
  unsigned cfg;
  std::uint64_t seed;
};

class Equivalence : public ::testing::TestWithParam<EqCase> {};

// The image model (tables only) and the reference model (IR) agree on every packet.
TEST_P(Equivalence, ImageModelEqualsReferenceModel) {
  const auto& [ci, seed] = GetParam();
  const auto& cfg = kConfigs[ci];
  std::printf("config %s seed %llu\n", std::string(cfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  dejfa::testgen::Gen g(seed);
  const auto rs = g.rules(ci == 0 ? 60 : 150);
  ASSERT_GT(rs.rules.size(), 20U);
  const auto res = dejfa::compile_v2(rs, cfg);
  ASSERT_TRUE(res.ok) << (res.diags.empty() ? "" : res.diags[0].str());
  dejfa::Image img;
  std::string err;
  ASSERT_TRUE(dejfa::decode_image(dejfa::encode(res.image), &cfg, img, err, 2)) << err;
  dejfa::RefModel ref(rs, dejfa::DecodeLimits{cfg.hdr_win_b});
  dejfa::ImageModel im(img);
  std::size_t matched = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto f = g.frame();
    const auto a = ref.judge(f);
    const auto b = im.judge(f);
    matched += a.matched.size();
    ASSERT_EQ(a.matched, b.matched) << "packet " << i << " seed " << seed;
    ASSERT_EQ(a.alerted, b.alerted) << "packet " << i;
    ASSERT_EQ(a.drop, b.drop) << "packet " << i;
    ASSERT_EQ(a.malformed, b.malformed) << "packet " << i;
  }
  EXPECT_GT(matched, 500U) << "the generator must make rules hit";
}

// FP_KEY_MIN (1 at 10g, 4 at 100g): a rule whose longest non-negated content is shorter has no
// fast key and is counted as such; its key length's table is neither written nor looked up; a
// rule whose contents are all negated has none in either configuration.
TEST(Image, PrefilterKeysNoShorterThanFpKeyMin) {
  const auto rs = parse(
      "alert tcp any any -> any any (content:\"a\"; sid:1;)\n"
      "alert tcp any any -> any any (content:\"bc\"; sid:2;)\n"
      "alert tcp any any -> any any (content:\"def\"; content:\"gh\"; sid:3;)\n"
      "alert tcp any any -> any any (content:\"ij\"; content:\"klmn\"; sid:4;)\n"
      "alert tcp any any -> any any (content:\"opqrstu\"; nocase; sid:5;)\n"
      "alert tcp any any -> any any (content:!\"vwxyz\"; sid:6;)\n"
      "alert tcp any any -> any any (sid:7;)\n");
  for (const auto& cfg : kConfigs) {
    SCOPED_TRACE(std::string(cfg.name));
    const auto res = dejfa::compile_v2(rs, cfg);
    ASSERT_TRUE(res.ok);
    const dejfa::Prefilter pf = dejfa::prefilter(res.image);
    const unsigned kmin = res.image.param("FP_KEY_MIN");
    ASSERT_EQ(pf.key_min, kmin);
    ASSERT_EQ(kmin, cfg.name == "10g" ? 1U : 4U) << "the configurations of hw/dejfa_regs.toml";
    // by sid (the compiler keeps rule order): the longest content's length, 0 for none
    const unsigned longest[7] = {1, 2, 3, 4, 7, 0, 0};
    std::size_t short_n = 0;
    for (std::size_t r = 0; r < 7; ++r) {
      const bool has_contents = res.image.rules[r].ncontents != 0;
      const bool want = has_contents && longest[r] != 0 && longest[r] < kmin;
      EXPECT_EQ(pf.nofp[r], has_contents && (longest[r] == 0 || want)) << "sid " << r + 1;
      short_n += want ? 1 : 0;
    }
    EXPECT_EQ(pf.too_short, short_n);
    EXPECT_EQ(pf.negated_only, 1U);
    EXPECT_EQ(pf.keyed, 5U - short_n);
    // the compiler reports both, as figures of the set rather than limits
    std::size_t reported = 0;
    for (const auto& u : res.usage) {
      if (u.what.find("FP_KEY_MIN") != std::string::npos) {
        EXPECT_TRUE(u.info);
        EXPECT_EQ(u.used, short_n);
        EXPECT_EQ(u.avail, 6U);
        ++reported;
      }
    }
    EXPECT_EQ(reported, 1U);
    // the table words written: those of key lengths kmin..4 only
    std::size_t fp_words = 0;
    for (const auto& w : dejfa::table_writes(res.image)) {
      if ((w.word >> dejfa::hw::kTblIndexW) != dejfa::hw::tbl::FP) continue;
      const std::uint32_t i = w.word & ((1U << dejfa::hw::kTblIndexW) - 1);
      unsigned k = 0;  // the key length whose words hold i (image_tables.hpp's layout)
      for (unsigned n = 1; n <= 4; ++n)
        if (i >= dejfa::fp::words_first(n) &&
            i < dejfa::fp::words_first(n) + dejfa::fp::words_count(n))
          k = n;
      EXPECT_GE(k, kmin) << "FP word " << i;
      ++fp_words;
    }
    EXPECT_EQ(fp_words, 2048U + 256U * (4 - kmin));
    // "bc" alone in a payload marks sid 2's group only where 2-byte keys are looked up; "KLMN"
    // (case folded) marks sid 4's everywhere
    dejfa::FrameSpec s;
    s.payload = dejfa::bytes("xxbcxxKLMNxx");
    const auto seen = dejfa::prefilter_seen(pf, dejfa::build_frame(s));
    std::vector<std::size_t> group_of(7, SIZE_MAX);
    for (std::size_t gi = 0; gi < pf.groups.size(); ++gi) {
      const std::uint32_t first = pf.groups[gi] & 0xFFFFU, count = pf.groups[gi] >> 16;
      for (std::uint32_t k = 0; k < count; ++k) group_of[pf.rules[first + k]] = gi;
    }
    ASSERT_NE(group_of[3], SIZE_MAX);
    EXPECT_TRUE(seen[group_of[3]]);
    if (kmin <= 2) {
      ASSERT_NE(group_of[1], SIZE_MAX);
      EXPECT_TRUE(seen[group_of[1]]);
    } else {
      EXPECT_EQ(group_of[1], SIZE_MAX);
    }
  }
}

// The prefilter never hides a rule that matches: every matched rule with contents is either
// without a fast key or in a group the matcher marks for the frame; and it does filter.
TEST_P(Equivalence, PrefilterKeepsEveryMatchingRule) {
  const auto& [ci, seed] = GetParam();
  const auto& cfg = kConfigs[ci];
  dejfa::testgen::Gen g(seed + 1000);
  const auto rs = g.rules(ci == 0 ? 60 : 150);
  const auto res = dejfa::compile_v2(rs, cfg);
  ASSERT_TRUE(res.ok);
  const dejfa::Image& img = res.image;
  const dejfa::Prefilter pf = dejfa::prefilter(img);
  std::vector<std::size_t> group_of(img.rules.size(), SIZE_MAX);
  for (std::size_t gi = 0; gi < pf.groups.size(); ++gi) {
    const std::uint32_t first = pf.groups[gi] & 0xFFFFU, count = pf.groups[gi] >> 16;
    for (std::uint32_t k = 0; k < count; ++k) group_of[pf.rules[first + k]] = gi;
  }
  dejfa::ImageModel im(img);
  // the filtering is measured on the rules with a fast key (the rest are always inspected: at
  // 100g the generator's many 1- to 3-byte contents are FP_KEY_MIN's share)
  std::size_t inspected = 0, candidates = 0, matched = 0, keyless = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto f = g.frame();
    const auto seen = dejfa::prefilter_seen(pf, f);
    const auto v = im.judge(f);
    for (auto r : v.matched) {
      if (img.rules[r].ncontents == 0) continue;
      ++matched;
      ASSERT_TRUE(pf.nofp[r] || (group_of[r] != SIZE_MAX && seen[group_of[r]]))
          << "sid " << img.rules[r].sid << " matched but was filtered out, packet " << i;
    }
    for (std::size_t r = 0; r < img.rules.size(); ++r) {
      if (img.rules[r].ncontents == 0) continue;
      if (pf.nofp[r]) {
        ++keyless;
        continue;
      }
      ++candidates;
      if (group_of[r] != SIZE_MAX && seen[group_of[r]]) ++inspected;
    }
  }
  std::printf(
      "rules with a fast key inspected after the prefilter: %zu of %zu (%zu content rules matched; "
      "%zu rule-frames without a fast key, always inspected)\n",
      inspected, candidates, matched, keyless);
  EXPECT_GT(matched, 50U);
  EXPECT_LT(inspected, candidates / 2) << "the prefilter must filter";
}

INSTANTIATE_TEST_SUITE_P(Generated, Equivalence,
                         ::testing::Values(EqCase{0, 1}, EqCase{0, 2}, EqCase{0, 3}, EqCase{1, 4},
                                           EqCase{1, 5}, EqCase{0, 6}, EqCase{1, 7}, EqCase{0, 8}),
                         [](const auto& i) {
                           return std::string(kConfigs[i.param.cfg].name == "10g" ? "c10g"
                                                                                  : "c100g") +
                                  "_seed" + std::to_string(i.param.seed);
                         });

}  // namespace
