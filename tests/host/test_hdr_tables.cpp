// SPDX-License-Identifier: Apache-2.0
//
// Version 3's header tables as the hardware holds them (host/image/src/hdr_tables.cpp) against
// the structures the compiler builds them from (dejfa::hdr's Index and Wide, which test_hdr_index
// checks against the reference model): tables loaded entry by entry from hdr::index_writes and
// hdr::wide_writes, and for every packet the table-level evaluation (hdr::path_eval, what
// dejfa_hdr_path computes) must give the index's address classes, wide_eval's spec vector and
// wide slots bit for bit, and in each of the 8 lanes the slot the index names, its hit as the
// slot's orientation decides, and the group's GROUP_EN; the lanes' hits together are
// matched_groups' indexed groups. Rule sets: the generator's and firewall shape with content
// rules at the 10g and 100g capacities. Writes outside a table are refused.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::Packet;
using dejfa::RuleSet;
namespace hdr = dejfa::hdr;
using dejfa::testgen::packets_for;
namespace rtbl = dejfa::hw::rtbl;

RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  return std::move(lr.set);
}

struct Set {
  RuleSet rs;
  hdr::Index idx;
  hdr::Wide wide;
  std::vector<bool> en;
  std::vector<dejfa::Action> act;
};

::testing::AssertionResult build(Set& s, const hdr::Limits& lim, std::uint64_t seed) {
  dejfa::Diags d;
  if (!hdr::build(s.rs, lim, s.idx, d) || !hdr::build_wide(s.rs, s.idx, s.wide, d)) {
    return ::testing::AssertionFailure() << (d.empty() ? "" : d[0].message);
  }
  std::mt19937_64 rng(seed);
  for (std::size_t r = 0; r < s.rs.rules.size(); ++r) {
    s.en.push_back(rng() % 4 != 0);
    s.act.push_back(static_cast<dejfa::Action>(rng() % 4));
  }
  return ::testing::AssertionSuccess();
}

std::unique_ptr<hdr::Tables> load(const Set& s) {
  auto t = std::make_unique<hdr::Tables>(s.idx.lim);
  auto ws = hdr::index_writes(s.idx, s.en, s.act);
  const auto wws = hdr::wide_writes(s.idx, s.wide);
  ws.insert(ws.end(), wws.begin(), wws.end());
  for (const auto& w : ws) {
    EXPECT_TRUE(t->write(w)) << "table " << w.tbl << " entry " << w.idx;
  }
  return t;
}

struct Tally {
  std::size_t packets = 0, lane_hits = 0, wide_hits = 0;
};

::testing::AssertionResult agree(const Set& s, const hdr::Tables& t, const Packet& p, Tally& n) {
  const hdr::PathOut o = hdr::path_eval(t, p);
  const hdr::WideOut w = hdr::wide_eval(s.idx, s.wide, p);
  if (o.spec != w.spec) return ::testing::AssertionFailure() << "spec vector differs";
  if (o.wide != w.wide) return ::testing::AssertionFailure() << "wide slots differ";
  for (const auto x : o.wide) n.wide_hits += static_cast<std::size_t>(std::popcount(x));
  ++n.packets;
  if (!p.ip) {
    for (const auto& l : o.lanes) {
      if (l.hit) return ::testing::AssertionFailure() << "a lane hit for a packet that is not IP";
    }
    return ::testing::AssertionSuccess();
  }
  const hdr::Classes c = s.idx.classify(p);
  if (o.acls[0] != c.c[0] || o.acls[1] != c.c[1]) {
    return ::testing::AssertionFailure()
           << "address classes " << o.acls[0] << "/" << o.acls[1] << ", the index's " << c.c[0]
           << "/" << c.c[1] << " for " << p.src.str() << " -> " << p.dst.str();
  }
  std::vector<std::uint32_t> hits;
  for (unsigned l = 0; l < 8; ++l) {
    const unsigned f = l / 2, k = l % 2;
    const auto& rec = f < 2 ? s.idx.addr_rec[c.c[f]] : s.idx.port_rec[c.c[f]];
    const auto& slots = rec.side[f & 1U];
    std::uint32_t group = 0;
    bool hit = false;
    if (k < slots.size()) {
      const hdr::Slot& sl = slots[k];
      group = sl.group;
      const bool spec = dejfa::header_match(s.idx.specs[s.idx.groups[group].spec], p);
      hit =
          spec && (sl.reversed ? s.idx.oriented(group, c, true) && !s.idx.oriented(group, c, false)
                               : s.idx.oriented(group, c, false));
    }
    const hdr::Group& gr = s.idx.groups[group];
    const std::uint32_t en =
        gr.header_only && !gr.wide ? hdr::group_en_record(gr, s.en, s.act) : 0U;
    const hdr::Lane& got = o.lanes[l];
    if (got.group != group || got.hit != hit || got.en != en) {
      return ::testing::AssertionFailure()
             << "lane " << l << ": group " << got.group << " hit " << got.hit << " en " << got.en
             << ", the index's group " << group << " hit " << hit << " en " << en;
    }
    if (hit) hits.push_back(group);
  }
  std::sort(hits.begin(), hits.end());
  std::vector<std::uint32_t> want;
  for (const auto g : hdr::matched_groups(s.idx, p)) {
    if (!s.idx.groups[g].wide) want.push_back(g);
  }
  if (hits != want) return ::testing::AssertionFailure() << "lane hits differ from matched_groups";
  n.lane_hits += hits.size();
  return ::testing::AssertionSuccess();
}

TEST(HdrTables, RandomSetsEqualTheIndex) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    // As many of the generator's rules as fit (10g: 256 wide slots, 32 complex sets).
    const auto lim = hdr::Limits::for_config(seed % 2 == 0 ? "10g" : "100g");
    Set s;
    for (std::uint32_t r = 300;; r = r * 7 / 8) {
      dejfa::testgen::Gen g(seed);
      s = Set{};
      s.rs = g.rules(r);
      if (build(s, lim, seed)) break;
    }
    const auto t = load(s);
    Tally n;
    for (const auto& p : packets_for(s.rs, seed + 50, 3000, 0.1)) {
      ASSERT_TRUE(agree(s, *t, p, n)) << "seed " << seed << " packet " << n.packets;
    }
    std::printf("seed %llu: %zu rules, %zu packets, %zu lane hits, %zu wide-slot matches\n",
                static_cast<unsigned long long>(seed), s.rs.rules.size(), n.packets, n.lane_hits,
                n.wide_hits);
    EXPECT_GT(n.lane_hits, 300U);
    EXPECT_GT(n.wide_hits, 1000U);
  }
}

// Firewall shape with content rules, as large as the configuration's tables hold.
TEST(HdrTables, FirewallShapeWithContentRulesAtCapacity) {
  for (const char* cfg : {"10g", "100g"}) {
    const auto lim = hdr::Limits::for_config(cfg);
    Set s;
    for (std::uint32_t n = lim.groups_n;; n = n * 15 / 16) {
      dejfa::testgen::Gen g(31);
      std::string text = g.firewall_shape(n);
      for (const auto& r : g.rules(lim.wide_n / 4).rules) text += r.text + "\n";
      s = Set{};
      s.rs = parse(text);
      if (build(s, lim, 31)) break;
    }
    const auto t = load(s);
    Tally n;
    for (const auto& p : packets_for(s.rs, 32, 3000, 0.1)) {
      ASSERT_TRUE(agree(s, *t, p, n)) << cfg << " packet " << n.packets;
    }
    std::printf(
        "%s: %zu rules, %zu groups (%zu wide), %zu address classes, %zu wide slots; %zu packets, "
        "%zu lane hits, %zu wide-slot matches\n",
        cfg, s.rs.rules.size(), s.idx.groups.size(), s.idx.wide_groups.size(),
        s.idx.addr_bounds.size(), s.wide.rules.size(), n.packets, n.lane_hits, n.wide_hits);
    EXPECT_GT(s.idx.groups.size() * 4, lim.groups_n * 3) << "the groups must be near capacity";
    EXPECT_GT(n.lane_hits, 500U);
    EXPECT_GT(n.wide_hits, 1000U);
  }
}

// Writes outside a table are refused and change nothing; the boundary count follows the last
// ADDR_BOUNDS entry written.
TEST(HdrTables, WritesOutsideATableAreRefused) {
  const auto lim = hdr::Limits::for_config("10g");
  hdr::Tables t(lim);
  hdr::RecWrite w;
  w.w[0] = 7;
  for (const std::uint32_t id : {7U, 15U, 22U, 23U, 30U, 31U, 32U, 1000U}) {
    w.tbl = id;
    w.idx = 0;
    EXPECT_FALSE(t.write(w)) << "table id " << id;
  }
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 7> cap = {{
      {rtbl::ADDR_BOUNDS, lim.addr_cls_n},
      {rtbl::CONT_REC, lim.wide_n},
      {rtbl::PORT_CLS, 65536},
      {rtbl::GROUP_EN, lim.groups_n},
      {rtbl::WROWS_SRC, lim.wcls_n * 4},  // 256 wide slots: 4 lanes
      {rtbl::S_PROTO_MAP, 4096},
      {rtbl::S_DSIZE_BOUNDS, lim.dsizeb_n},
  }};
  for (const auto& [id, n] : cap) {
    EXPECT_EQ(t.capacity(id), n) << "table " << id;
    w.tbl = id;
    w.idx = n - 1;
    EXPECT_TRUE(t.write(w)) << "table " << id;
    w.idx = n;
    EXPECT_FALSE(t.write(w)) << "table " << id << " entry " << n;
  }
  EXPECT_EQ(t.addr_n(), lim.addr_cls_n) << "the refused entry must not move the count";
  w.tbl = rtbl::ADDR_BOUNDS;
  w.idx = 0;
  w.w = {};
  ASSERT_TRUE(t.write(w));
  EXPECT_EQ(t.addr_n(), 1U);
}

}  // namespace
