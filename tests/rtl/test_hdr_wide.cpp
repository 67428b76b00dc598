// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_hdr_wide (version 3's spec vector and wide classifier, docs/ARCHITECTURE.md
// section 6 "The spec vector and the wide classifier") against the header model: the tables
// dejfa::hdr builds from rule sets (hdr::build_wide) are written into a bank entry by entry as
// hdr::wide_writes lays them out (hw/dejfa_regs.toml [[rtable]] ids), packets enter with the
// address classes the index gives them and their small fields as the parser gives them, and the
// spec vector and the wide slots' header matches must equal hdr::wide_eval bit for bit (which
// test_hdr_index checks against the reference model's header_match). Rule sets: the generator's
// (contents fill the wide slots; lists, negation, `<>`, small fields) and a firewall-shape set
// with content rules at the configuration's capacity. Packets: the generator's frames (decoded)
// and packets aimed at the rules, with random bubbles; two banks with different sets, packets
// switching between them, a whole load into the other bank under traffic, and a reset.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_hdr_wide.h"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/image.hpp"
#include "lane_writes.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::uint32_t kAcls = DEJFA_HW_ACLS;
constexpr std::uint32_t kSpec = DEJFA_HW_SPEC;
constexpr std::uint32_t kWide = DEJFA_HW_WIDE;
constexpr std::uint32_t kWcls = DEJFA_HW_WCLS;
constexpr std::uint32_t kCls = DEJFA_HW_CLS;
constexpr std::uint32_t kDsizeb = DEJFA_HW_DSIZEB;

using dejfa::Packet;
using dejfa::Row;
namespace hdr = dejfa::hdr;
using dejfa::test::put;
using dejfa::testgen::packets_for;

/// 32-bit word i of a port (an integer up to 64 bits or a VlWide).
template <class V>
std::uint32_t word(const V& port, std::size_t i) {
  if constexpr (std::is_integral_v<V>) {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(port) >> (32 * i));
  } else {
    return port[i];
  }
}

hdr::Limits limits() {
  hdr::Limits lim;
  lim.addr_cls_n = kAcls;
  lim.groups_n = 1U << 14;
  lim.spec_n = kSpec;
  lim.wide_n = kWide;
  lim.wcls_n = kWcls;
  lim.cls_n = kCls;
  lim.dsizeb_n = kDsizeb;
  return lim;
}

/// An index and its wide tables.
struct Set {
  dejfa::RuleSet rs;
  hdr::Index idx;
  hdr::Wide wide;
};

bool fits(Set& s) {
  dejfa::Diags d;
  return hdr::build(s.rs, limits(), s.idx, d) && hdr::build_wide(s.rs, s.idx, s.wide, d);
}

dejfa::RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  return std::move(lr.set);
}

// A random rule set of the generator that fits the block (fewer rules until it does).
Set random_set(std::uint64_t seed) {
  for (std::uint32_t n = 400;; n = n * 3 / 4) {
    dejfa::testgen::Gen g(seed);
    Set s;
    s.rs = g.rules(n);
    if (fits(s)) return s;
  }
}

struct Expect {
  Row spec, wide;
  std::uint32_t side = 0;
};

class Tb {
 public:
  Tb() {
    idle();
    m_.reset(3);
  }
  Tb(const Tb&) = delete;
  Tb& operator=(const Tb&) = delete;

  /// Writes every table of `s` into `bank`, one entry a cycle; `during` is called before each
  /// write and may stage a packet (for the other bank) to run in that cycle.
  template <class F>
  void load(unsigned bank, const Set& s, F&& during) {
    for (const auto& lw : dejfa::test::lane_writes(hdr::wide_writes(s.idx, s.wide))) {
      const auto& w = lw.w;
      during();
      m_->tw_en = 1;
      put(m_->tw_tbl, w.tbl);
      put(m_->tw_bank, bank);
      put(m_->tw_idx, w.idx);
      put(m_->tw_lanes, lw.lanes);
      put(m_->tw_data, w.low64());
      step();
      idle();
    }
  }
  void load(unsigned bank, const Set& s) {
    load(bank, s, [] {});
  }

  /// Stages a packet for the next cycle (with its expectation), or a bubble when !valid.
  void packet(bool valid, unsigned bank, const Set& s, const Packet& p, std::uint32_t side) {
    const hdr::Classes c = s.idx.classify(p);
    m_->s_valid = valid ? 1 : 0;
    put(m_->act_bank, bank);
    m_->s_ip = p.ip ? 1 : 0;
    put(m_->s_acls_s, c.c[0]);
    put(m_->s_acls_d, c.c[1]);
    m_->s_ports = (p.ip && p.has_ports() && !p.fragment) ? 1 : 0;
    put(m_->s_sport, p.sport);
    put(m_->s_dport, p.dport);
    m_->s_v6 = p.v6 ? 1 : 0;
    put(m_->s_l4, dejfa::l4_kind(p));
    put(m_->s_proto, p.proto);
    put(m_->s_ttl, p.ttl);
    put(m_->s_tcp_flags, p.tcp_flags);
    put(m_->s_icmp_type, p.icmp_type);
    put(m_->s_icmp_code, p.icmp_code);
    m_->s_payload_valid = p.payload_valid ? 1 : 0;
    put(m_->s_payload_len, p.payload_len);
    put(m_->s_side, side);
    if (valid) {
      const auto o = hdr::wide_eval(s.idx, s.wide, p);
      flight_.push_back({o.spec, o.wide, side});
      for (std::size_t i = 0; i < s.wide.rules.size(); ++i) {
        wide_hits_ += (o.wide[i / 32] >> (i % 32)) & 1U;
      }
    }
  }
  void cycle() {
    step();
    idle();
  }
  void drain() {
    for (int i = 0; i < 6; ++i) cycle();
  }
  void reset_now() {
    idle();
    m_.reset(1);
    flight_.clear();
  }
  std::size_t checked() const { return checked_; }
  std::size_t wide_hits() const { return wide_hits_; }
  ::testing::AssertionResult status() const { return status_; }

 private:
  void idle() {
    m_->tw_en = 0;
    m_->s_valid = 0;
  }
  void step() {
    m_.edge();
    if (m_->m_valid == 0U) return;
    if (flight_.empty()) {
      if (status_) status_ = ::testing::AssertionFailure() << "an output without an input";
      return;
    }
    const Expect e = flight_.front();
    flight_.pop_front();
    for (std::size_t i = 0; i < kSpec / 32 && status_; ++i) {
      if (word(m_->m_spec, i) != e.spec[i]) {
        status_ = ::testing::AssertionFailure()
                  << "packet " << checked_ << ": spec word " << i << " is " << std::hex
                  << word(m_->m_spec, i) << ", the model's " << e.spec[i];
      }
    }
    for (std::size_t i = 0; i < kWide / 32 && status_; ++i) {
      if (word(m_->m_wide, i) != e.wide[i]) {
        status_ = ::testing::AssertionFailure()
                  << "packet " << checked_ << ": wide word " << i << " is " << std::hex
                  << word(m_->m_wide, i) << ", the model's " << e.wide[i];
      }
    }
    if (status_ && m_->m_side != e.side) {
      status_ = ::testing::AssertionFailure() << "packet " << checked_ << ": side " << m_->m_side;
    }
    ++checked_;
  }

  dejfa::test::Model<Vdejfa_hdr_wide> m_;
  std::deque<Expect> flight_;
  std::size_t checked_ = 0, wide_hits_ = 0;
  ::testing::AssertionResult status_ = ::testing::AssertionSuccess();
};

void run(Tb& tb, std::mt19937_64& rng, unsigned bank, const Set& s,
         const std::vector<Packet>& pkts) {
  for (std::size_t i = 0; i < pkts.size(); ++i) {
    tb.packet(rng() % 5 != 0, bank, s, pkts[i], static_cast<std::uint32_t>(i & 0xFFFF));
    tb.cycle();
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
}

void describe(const char* what, const Set& s) {
  const auto& t = s.wide.small;
  std::printf(
      "%s: %zu rules, %zu specs, %zu wide slots, %zu/%zu wide classes, small classes "
      "%zu/%zu/%zu/%zu/%zu, %zu payload-size bounds\n",
      what, s.rs.rules.size(), s.idx.specs.size(), s.wide.rules.size(), s.wide.addr_wcls_n(),
      s.wide.port_wcls_n(), t.proto.rows.size(), t.ttl.rows.size(), t.tcpf.rows.size(),
      t.itype.rows.size(), t.icode.rows.size(), t.dsize_bounds.size());
}

TEST(HdrWide, RandomSetsEqualTheModel) {
  std::mt19937_64 rng(1);
  Tb tb;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Set s = random_set(seed);
    const auto bank = static_cast<unsigned>(seed % 2);
    tb.load(bank, s);
    run(tb, rng, bank, s, packets_for(s.rs, seed + 100, 3000));
    describe(("seed " + std::to_string(seed)).c_str(), s);
  }
  std::printf("%zu packets checked, %zu wide-slot matches\n", tb.checked(), tb.wide_hits());
  EXPECT_GT(tb.wide_hits(), tb.checked()) << "packets must hit wide slots";
}

// A firewall-shape set (v4/v6 prefixes of every length, lists, negation, ranges, `<>`, small
// fields) with the generator's content rules: as many wide slots and wide classes as fit.
TEST(HdrWide, FirewallShapeWithContentRulesAtCapacity) {
  std::mt19937_64 rng(2);
  Set s;
  for (std::uint32_t n = kAcls / 2;; n = n * 7 / 8) {
    dejfa::testgen::Gen g(7);
    std::string text = g.firewall_shape(n);
    for (const auto& r : g.rules(kWide / 4).rules) text += r.text + "\n";
    s = Set{};
    s.rs = parse(text);
    if (fits(s)) break;
  }
  Tb tb;
  tb.load(1, s);
  run(tb, rng, 1, s, packets_for(s.rs, 8, kAcls >= 4096 ? 6000 : 3000));
  describe("firewall shape with contents", s);
  std::printf("%zu packets checked, %zu wide-slot matches\n", tb.checked(), tb.wide_hits());
  EXPECT_GT(s.wide.rules.size(), kWide / 8);
  EXPECT_GT(tb.wide_hits(), tb.checked() / 2);
}

// Both banks hold different sets; bank 1 is loaded while packets run on bank 0, then packets
// choose their bank one by one; a reset drops what is in flight and the tables stay.
TEST(HdrWide, BanksSwitchPerPacketAndLoadsRunUnderTraffic) {
  std::mt19937_64 rng(3);
  const Set a = random_set(11);
  const Set b = random_set(12);
  const auto pa = packets_for(a.rs, 21, 4000);
  const auto pb = packets_for(b.rs, 22, 4000);
  Tb tb;
  tb.load(0, a);
  std::size_t i = 0;
  tb.load(1, b, [&] {
    tb.packet(rng() % 3 != 0, 0, a, pa[i % pa.size()], static_cast<std::uint32_t>(i & 0xFFFF));
    ++i;
  });
  ASSERT_TRUE(tb.status());
  tb.drain();
  const std::size_t under_load = tb.checked();
  for (std::size_t k = 0; k < 4000; ++k) {
    const unsigned bank = rng() % 2;
    tb.packet(rng() % 5 != 0, bank, bank == 0 ? a : b, bank == 0 ? pa[k] : pb[k],
              static_cast<std::uint32_t>(k & 0xFFFF));
    tb.cycle();
    ASSERT_TRUE(tb.status()) << "packet " << k;
  }
  // Packets in flight when reset comes are dropped; the tables stay.
  for (int k = 0; k < 2; ++k) {
    tb.packet(true, 0, a, pa[static_cast<std::size_t>(k)], 1);
    tb.cycle();
  }
  const std::size_t before = tb.checked();
  tb.reset_now();
  tb.drain();
  EXPECT_EQ(tb.checked(), before) << "a packet in flight survived the reset";
  run(tb, rng, 1, b, std::vector<Packet>(pb.begin(), pb.begin() + 500));
  std::printf("%zu packets checked (%zu while bank 1 was loaded), %zu wide-slot matches\n",
              tb.checked(), under_load, tb.wide_hits());
  EXPECT_GT(under_load, 1000U);
}

}  // namespace
