// SPDX-License-Identifier: Apache-2.0
//
// The header index (host/image/src/hdr_index.cpp, docs/ARCHITECTURE.md section 6) against the
// reference model: for every packet and every rule, the rule's header matches in the reference
// model exactly when the index reports its group (header-only rules: through the slots the
// packet reads and the wide groups) or its group record matches (content rules: what a
// candidate job checks). Rule sets: the random generator's (lists, negation, both families,
// `<>`, small fields), and firewall sets at the capacities the issue asks for.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::Packet;
using dejfa::RuleSet;
namespace hdr = dejfa::hdr;

RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  EXPECT_EQ(lr.stats.skipped, 0U) << (lr.diags.empty() ? "" : lr.diags[0].str());
  return std::move(lr.set);
}

struct Tally {
  std::size_t packets = 0, matches = 0, jobs = 0, wide_matches = 0;
};

// Checks one packet; returns false (with a message) on the first disagreement.
// With `wide`, also the wide block's outputs: spec s's bit is the reference model's header match
// of the spec's representative, wide slot s's bit that of its rule.
::testing::AssertionResult agree(const RuleSet& rs, const hdr::Index& idx, const Packet& p,
                                 Tally& t, const hdr::Wide* wide = nullptr) {
  if (wide != nullptr) {
    const auto o = hdr::wide_eval(idx, *wide, p);
    const auto bit = [](const dejfa::Row& r, std::size_t i) {
      return ((r[i / 32] >> (i % 32)) & 1U) != 0;
    };
    for (std::size_t s = 0; s < idx.specs.size(); ++s) {
      if (bit(o.spec, s) != dejfa::header_match(idx.specs[s], p)) {
        return ::testing::AssertionFailure()
               << "spec " << s << ": reference " << dejfa::header_match(idx.specs[s], p);
      }
    }
    for (std::size_t s = 0; s < wide->wide_n; ++s) {
      const bool want = s < wide->rules.size() && dejfa::header_match(rs.rules[wide->rules[s]], p);
      if (bit(o.wide, s) != want) {
        return ::testing::AssertionFailure() << "wide slot " << s << ": reference " << want;
      }
      t.wide_matches += want ? 1U : 0U;
    }
  }
  hdr::Work w;
  const auto found = hdr::matched_groups(idx, p, &w);
  if (std::adjacent_find(found.begin(), found.end()) != found.end()) {
    return ::testing::AssertionFailure() << "a group reported twice";
  }
  if (w.jobs > 4 * idx.lim.slots) return ::testing::AssertionFailure() << w.jobs << " jobs";
  const auto c = idx.classify(p);
  for (std::size_t i = 0; i < rs.rules.size(); ++i) {
    const auto& r = rs.rules[i];
    const std::uint32_t g = idx.group_of_rule[i];
    const bool got = idx.groups[g].header_only ? std::binary_search(found.begin(), found.end(), g)
                                               : idx.group_matches(g, c, p);
    const bool want = dejfa::header_match(r, p);
    if (got != want) {
      return ::testing::AssertionFailure()
             << "rule " << r.text << ": reference " << want << ", index " << got << " (group " << g
             << (idx.groups[g].wide ? ", wide" : "") << ") for " << p.src.str() << ":" << p.sport
             << " -> " << p.dst.str() << ":" << p.dport;
    }
    t.matches += want ? 1U : 0U;
  }
  t.jobs += w.jobs;
  ++t.packets;
  return ::testing::AssertionSuccess();
}

TEST(HdrIndex, RandomRuleSetsAgreeWithTheReferenceModel) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    dejfa::testgen::Gen g(seed);
    const auto rs = g.rules(200);
    hdr::Index idx;
    dejfa::Diags d;
    ASSERT_TRUE(hdr::build(rs, hdr::Limits{}, idx, d)) << d.at(0).message;
    hdr::Wide wide;
    ASSERT_TRUE(hdr::build_wide(rs, idx, wide, d)) << d.at(0).message;
    Tally t;
    for (int i = 0; i < 1500; ++i) {
      const auto f = g.frame();
      ASSERT_TRUE(agree(rs, idx, dejfa::decode(f), t, &wide)) << "seed " << seed << " frame " << i;
    }
    for (int i = 0; i < 1500; ++i) {
      const auto* r =
          g.p(0.8) ? &rs.rules[g.u(static_cast<std::uint32_t>(rs.rules.size()))] : nullptr;
      ASSERT_TRUE(agree(rs, idx, dejfa::testgen::aimed(g, r), t, &wide))
          << "seed " << seed << " packet " << i;
    }
    std::printf(
        "seed %llu: %zu groups (%zu wide), %zu wide slots, %zu/%zu wide classes, %zu packets, "
        "%zu rule matches (%zu in wide slots), %zu jobs\n",
        static_cast<unsigned long long>(seed), idx.groups.size(), idx.wide_groups.size(),
        wide.rules.size(), wide.addr_wcls_n(), wide.port_wcls_n(), t.packets, t.matches,
        t.wide_matches, t.jobs);
    EXPECT_GT(t.matches, 1000U) << "the packets must hit rules";
    EXPECT_GT(t.wide_matches, 300U) << "the packets must hit wide slots";
  }
}

// The worst case at full 100g capacity: 8,192 rules, each its own /32 or /128 and its
// own port. Every one is indexed (none wide), each packet aimed at a rule matches it.
TEST(HdrIndex, EveryRuleItsOwnAddressAndPortAtFullCapacity) {
  dejfa::testgen::Gen g(11);
  const auto rs = parse(g.firewall_own(8192));
  ASSERT_EQ(rs.rules.size(), 8192U);
  hdr::Index idx;
  dejfa::Diags d;
  ASSERT_TRUE(hdr::build(rs, hdr::Limits::for_config("100g"), idx, d)) << d.at(0).message;
  EXPECT_EQ(idx.groups.size(), 8192U);
  EXPECT_TRUE(idx.wide_groups.empty());
  Tally t;
  std::size_t own = 0;
  for (int i = 0; i < 600; ++i) {
    const std::uint32_t k = g.u(8192);
    const Packet p = dejfa::testgen::aimed(g, &rs.rules[k]);
    ASSERT_TRUE(agree(rs, idx, p, t)) << "packet " << i;
    own += dejfa::header_match(rs.rules[k], p) ? 1U : 0U;
  }
  EXPECT_GT(own, 200U) << "aimed packets must match their rule";
  // 10g holds 4,096 groups: the same set is refused, naming the limit.
  hdr::Index small;
  dejfa::Diags d10;
  EXPECT_FALSE(hdr::build(rs, hdr::Limits::for_config("10g"), small, d10));
  ASSERT_FALSE(d10.empty());
  EXPECT_NE(d10[0].message.find("header groups (GROUPS_N): 8192 needed, 4096 available"),
            std::string::npos)
      << d10[0].message;
}

// Firewall shape at full capacity: prefixes of every length in both families, lists with
// negation, ranges, `<>`, small fields. Some groups are wide; all agree with the model.
TEST(HdrIndex, FirewallShapeAtFullCapacity) {
  for (const char* cfg : {"10g", "100g"}) {
    const auto lim = hdr::Limits::for_config(cfg);
    dejfa::testgen::Gen g(std::string(cfg) == "10g" ? 21 : 22);
    const auto rs = parse(g.firewall_shape(lim.groups_n));
    hdr::Index idx;
    dejfa::Diags d;
    ASSERT_TRUE(hdr::build(rs, lim, idx, d)) << cfg << ": " << d.at(0).message;
    EXPECT_FALSE(idx.wide_groups.empty());
    EXPECT_LE(idx.wide_rules, lim.wide_n);
    hdr::Wide wide;
    ASSERT_TRUE(hdr::build_wide(rs, idx, wide, d)) << cfg << ": " << d.at(0).message;
    Tally t;
    for (int i = 0; i < 400; ++i) {
      const auto* r =
          g.p(0.7) ? &rs.rules[g.u(static_cast<std::uint32_t>(rs.rules.size()))] : nullptr;
      ASSERT_TRUE(agree(rs, idx, dejfa::testgen::aimed(g, r), t, &wide)) << cfg << " packet " << i;
    }
    std::printf(
        "%s: wide block: %zu slots, %zu/%zu wide classes, small classes %zu/%zu/%zu/%zu/%zu, "
        "%zu payload-size bounds, %zu wide matches\n",
        cfg, wide.rules.size(), wide.addr_wcls_n(), wide.port_wcls_n(),
        wide.small.proto.rows.size(), wide.small.ttl.rows.size(), wide.small.tcpf.rows.size(),
        wide.small.itype.rows.size(), wide.small.icode.rows.size(), wide.small.dsize_bounds.size(),
        t.wide_matches);
    EXPECT_GT(t.wide_matches, 20U);
    std::printf(
        "%s: %zu groups (%zu wide, %u wide rules), %zu address classes, %zu rule "
        "matches, %zu jobs in %zu packets\n",
        cfg, idx.groups.size(), idx.wide_groups.size(), idx.wide_rules, idx.addr_bounds.size(),
        t.matches, t.jobs, t.packets);
    EXPECT_GT(t.matches, 200U);
  }
}

// Limits are named: too many wide rules, too many complex sets; groups of more than RPG rules
// are wide.
TEST(HdrIndex, CapacityErrorsNameTheLimit) {
  std::string wide;
  for (int i = 0; i < 300; ++i) {
    wide += "alert ip any any -> any any (ttl:" + std::to_string(i % 250) +
            "; sid:" + std::to_string(i + 1) + ";)\n";
  }
  hdr::Index idx;
  dejfa::Diags d;
  EXPECT_FALSE(hdr::build(parse(wide), hdr::Limits::for_config("10g"), idx, d));
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("rules of wide header groups (WIDE_N): 300 needed, 256"),
            std::string::npos)
      << d[0].message;
  d.clear();
  EXPECT_TRUE(hdr::build(parse(wide), hdr::Limits::for_config("100g"), idx, d));

  // A header-only group of more rules than RPG (2) is wide, whatever its selectivity; one of
  // 2 rules is indexed.
  std::string same;
  for (int i = 0; i < 3; ++i) {
    same += "alert tcp any any -> 10.0.0.1 80 (sid:" + std::to_string(i + 1) + ";)\n";
  }
  same += "alert tcp any any -> 10.0.0.2 80 (sid:4;)\nalert tcp any any -> 10.0.0.2 80 (sid:5;)\n";
  d.clear();
  ASSERT_TRUE(hdr::build(parse(same), hdr::Limits::for_config("10g"), idx, d));
  ASSERT_EQ(idx.groups.size(), 2U);
  EXPECT_TRUE(idx.groups[idx.group_of_rule[0]].wide);
  EXPECT_FALSE(idx.groups[idx.group_of_rule[3]].wide);
  EXPECT_EQ(idx.wide_rules, 3U);

  std::string lists;
  for (int i = 0; i < 40; ++i) {
    lists += "alert tcp any any -> any [" + std::to_string(100 + 10 * i) + "," +
             std::to_string(105 + 10 * i) + "," + std::to_string(2000 + i) +
             "] (sid:" + std::to_string(i + 1) + ";)\n";
  }
  d.clear();
  EXPECT_FALSE(hdr::build(parse(lists), hdr::Limits::for_config("10g"), idx, d));
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("complex port sets (CSET_N): 40 needed, 32 available"),
            std::string::npos)
      << d[0].message;
}

// A bidirectional group that matches a packet both ways is reported once, and a group whose
// slot lists are full in its best field moves to its next field or becomes wide.
TEST(HdrIndex, BidirectionalOnceAndFullSlotsSpill) {
  const auto rs = parse(
      "alert tcp 10.0.0.0/8 any <> 10.0.0.0/8 80 (sid:1;)\n"
      "alert tcp any any -> 192.0.2.1 80 (sid:2;)\n"
      "alert tcp any any -> 192.0.2.1 81 (sid:3;)\n"
      "alert tcp any any -> 192.0.2.1 82 (sid:4;)\n"
      "alert udp any any -> 192.0.2.1 any (sid:5;)\n");
  hdr::Index idx;
  dejfa::Diags d;
  ASSERT_TRUE(hdr::build(rs, hdr::Limits{}, idx, d));
  dejfa::testgen::Gen g(5);
  Tally t;
  Packet p = dejfa::testgen::aimed(g, nullptr);
  p.l4 = Packet::L4::Tcp;
  p.v6 = false;
  p.src = dejfa::IpAddr::v4(0x0A000001);
  p.dst = dejfa::IpAddr::v4(0x0A000002);
  p.sport = 80;
  p.dport = 80;
  ASSERT_TRUE(agree(rs, idx, p, t));
  EXPECT_EQ(hdr::matched_groups(idx, p), std::vector<std::uint32_t>{idx.group_of_rule[0]});
  // Four groups name 192.0.2.1; two slots per class: the port-selective ones are indexed by
  // port, the udp one (any port) by address; nothing is wide.
  EXPECT_TRUE(idx.wide_groups.empty());
  for (int i = 0; i < 2000; ++i) {
    const auto* r = &rs.rules[g.u(static_cast<std::uint32_t>(rs.rules.size()))];
    ASSERT_TRUE(agree(rs, idx, dejfa::testgen::aimed(g, r), t)) << i;
  }
}

}  // namespace
