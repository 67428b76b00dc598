// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_hdr_verify (version 3's class records and verify lanes, docs/HARDWARE.md
// "Class records and verify lanes") against the header index model: tables built by dejfa::hdr
// from rule sets are written into a bank as the records hw/dejfa_regs.toml lays out
// (hdr::class_record, hdr::group_record), packets enter with the class ids and spec vector the
// model gives them, and each of the 8 lanes must say exactly what the model says for the slot it
// reads: the group, whether it matches in the slot's orientation, and the group's GROUP_EN (its
// rules' enables and actions as last written before the lane read it; the driver rewrites it in
// the active bank). The lanes' hits together must be the indexed groups hdr::matched_groups
// reports. Packets: the generator's frames and
// packets aimed at the rules, with random bubbles; both banks hold different sets and packets
// switch between them; writes into the other bank while packets run change nothing; a reset
// drops what is in flight.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_hdr_verify.h"

#include "dejfa/gen/regs.hpp"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/refmodel.hpp"
#include "lane_writes.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::uint32_t kAcls = DEJFA_HV_ACLS;
constexpr std::uint32_t kPcls = DEJFA_HV_PCLS;
constexpr std::uint32_t kGroups = DEJFA_HV_GROUPS;
constexpr std::uint32_t kSpec = DEJFA_HV_SPEC;
constexpr unsigned kLanes = 8;
constexpr unsigned kGl = dejfa::test::clog2(kGroups);
constexpr unsigned kEnW = dejfa::hw::rec::group_en::W;

using dejfa::Packet;
namespace hdr = dejfa::hdr;
using dejfa::testgen::packets_for;

using dejfa::test::get_field;
using dejfa::test::put;
using dejfa::test::put_words;

struct Expect {
  std::array<bool, kLanes> hit{};
  std::array<std::uint32_t, kLanes> group{};
  std::array<std::uint32_t, kLanes> en{};  // GROUP_EN of each lane's group, when it was read
  std::uint32_t side = 0;
  unsigned bank = 0;
  std::uint64_t cycle = 0;  // the cycle the packet entered
  bool en_known = false;
};

// What the block must compute for packet `p` with the index `idx` in its bank: per lane, the
// slot it reads and whether that slot's group matches in the slot's orientation.
Expect expect_of(const hdr::Index& idx, const Packet& p, std::uint32_t side) {
  Expect e;
  e.side = side;
  const hdr::Classes c = idx.classify(p);
  for (unsigned f = 0; f < 4; ++f) {
    const auto& rec = f < 2 ? idx.addr_rec[c.c[f]] : idx.port_rec[c.c[f]];
    const auto& slots = rec.side[f & 1U];
    for (unsigned k = 0; k < 2 && k < slots.size(); ++k) {
      const hdr::Slot& s = slots[k];
      const unsigned l = 2 * f + k;
      e.group[l] = s.group;
      const bool spec = dejfa::header_match(idx.specs[idx.groups[s.group].spec], p);
      e.hit[l] = c.ip && spec &&
                 (s.reversed ? idx.oriented(s.group, c, true) && !idx.oriented(s.group, c, false)
                             : idx.oriented(s.group, c, false));
    }
  }
  return e;
}

// The lanes' hits are the indexed groups the model reports (each once).
::testing::AssertionResult lanes_are_the_index(const hdr::Index& idx, const Packet& p,
                                               const Expect& e) {
  std::vector<std::uint32_t> got;
  for (unsigned l = 0; l < kLanes; ++l) {
    if (e.hit[l]) got.push_back(e.group[l]);
  }
  std::sort(got.begin(), got.end());
  std::vector<std::uint32_t> want;
  for (const auto g : hdr::matched_groups(idx, p)) {
    if (!idx.groups[g].wide) want.push_back(g);
  }
  if (got != want) return ::testing::AssertionFailure() << "lanes differ from matched_groups";
  return ::testing::AssertionSuccess();
}

class Tb {
 public:
  Tb() {
    idle();
    m_.reset(3);
  }
  Tb(const Tb&) = delete;
  Tb& operator=(const Tb&) = delete;

  enum Table { kAddrRec, kPortCls, kPortRec, kGroupRec, kGroupEn };

  /// Writes every table of `idx` into `bank`, one entry a cycle; packets may run meanwhile
  /// (in the other bank) through `during`, called before each write.
  template <class F>
  void load(unsigned bank, const hdr::Index& idx, F&& during) {
    for (std::size_t c = 0; c < idx.addr_rec.size(); ++c) {
      during();
      write(kAddrRec, bank, c, hdr::class_record(idx.addr_rec[c]));
    }
    // PORT_CLS as the record port's fills write it: runs of one class, a group of lanes a cycle.
    std::vector<hdr::RecWrite> ports(65536);
    for (std::uint32_t port = 0; port < 65536; ++port) {
      ports[port].tbl = dejfa::hw::rtbl::PORT_CLS;
      ports[port].idx = port;
      ports[port].w[0] = idx.port_class(static_cast<std::uint16_t>(port));
    }
    for (const auto& lw : dejfa::test::lane_writes(ports)) {
      during();
      write(kPortCls, bank, lw.w.idx, {lw.w.w[0]}, lw.lanes);
    }
    for (std::size_t c = 0; c < idx.port_rec.size(); ++c) {
      during();
      write(kPortRec, bank, c, hdr::class_record(idx.port_rec[c]));
    }
    for (std::size_t g = 0; g < idx.groups.size(); ++g) {
      during();
      write(kGroupRec, bank, g, hdr::group_record(idx.groups[g]));
    }
    // Each rule enabled or not and given an action at random.
    std::vector<bool> en(idx.group_of_rule.size());
    std::vector<dejfa::Action> act(idx.group_of_rule.size());
    for (std::size_t r = 0; r < en.size(); ++r) {
      en[r] = rng_() % 4 != 0;
      act[r] = static_cast<dejfa::Action>(rng_() % 4);
    }
    for (std::size_t g = 0; g < idx.groups.size(); ++g) {
      during();
      write(kGroupEn, bank, g, {hdr::group_en_record(idx.groups[g], en, act)});
    }
  }
  void load(unsigned bank, const hdr::Index& idx) {
    load(bank, idx, [] {});
  }

  /// Stages a packet for the next cycle (with its expectation), or a bubble when !valid.
  void packet(bool valid, unsigned bank, const hdr::Index& idx, const Packet& p,
              std::uint32_t side) {
    const hdr::Classes c = idx.classify(p);
    m_->s_valid = valid ? 1 : 0;
    put(m_->act_bank, bank);
    m_->s_ip = p.ip ? 1 : 0;
    put(m_->s_acls_s, c.c[0]);
    put(m_->s_acls_d, c.c[1]);
    m_->s_ports = (p.ip && p.has_ports() && !p.fragment) ? 1 : 0;
    put(m_->s_sport, p.sport);
    put(m_->s_dport, p.dport);
    std::vector<std::uint32_t> spec((kSpec + 31) / 32, 0);
    for (std::size_t s = 0; s < idx.specs.size(); ++s) {
      if (dejfa::header_match(idx.specs[s], p)) spec[s / 32] |= 1U << (s % 32);
    }
    put_words(m_->s_spec, spec);
    put(m_->s_side, side);
    if (valid) {
      Expect e = expect_of(idx, p, side);
      e.bank = bank;
      e.cycle = now_;
      flight_.push_back(e);
    }
  }
  /// Stages a write of GROUP_EN entry `group` of `bank` (a live change of rules' enables and
  /// actions) for the next cycle; packets staged with it run in that cycle too.
  void live_en(unsigned bank, std::uint32_t group, std::uint32_t value) {
    stage_write(kGroupEn, bank, group, {value});
  }
  /// One cycle with a staged packet (or none).
  void cycle() {
    step();
    idle();
  }
  void drain() {
    for (int i = 0; i < 8; ++i) cycle();
  }
  void reset_now() {
    idle();
    m_.reset(1);
    flight_.clear();
  }
  std::size_t checked() const { return checked_; }
  std::size_t hits() const { return hits_; }
  ::testing::AssertionResult status() const { return status_; }

 private:
  /// A write of entry `idx`, or for PORT_CLS of the entries `lanes` of its aligned group (0:
  /// entry idx alone).
  void stage_write(Table t, unsigned bank, std::size_t idx, const std::vector<std::uint32_t>& data,
                   std::uint32_t lanes = 0) {
    m_->tw_addr_rec = t == kAddrRec ? 1 : 0;
    m_->tw_port_cls = t == kPortCls ? 1 : 0;
    m_->tw_port_rec = t == kPortRec ? 1 : 0;
    m_->tw_group_rec = t == kGroupRec ? 1 : 0;
    m_->tw_group_en = t == kGroupEn ? 1 : 0;
    put(m_->tw_bank, bank);
    put(m_->tw_idx, idx);
    put(m_->tw_lanes, lanes != 0 ? lanes : 1U << (idx % dejfa::hw::rtbl::kFillLanes));
    put_words(m_->tw_data, data);
    if (t == kGroupEn) en_write_ = {bank, static_cast<std::uint32_t>(idx), data.at(0)};
  }
  void write(Table t, unsigned bank, std::size_t idx, const std::vector<std::uint32_t>& data,
             std::uint32_t lanes = 0) {
    stage_write(t, bank, idx, data, lanes);
    step();
    idle();
  }
  void idle() {
    m_->tw_addr_rec = m_->tw_port_cls = m_->tw_port_rec = m_->tw_group_rec = 0;
    m_->tw_group_en = 0;
    m_->s_valid = 0;
  }
  void step() {
    // A packet reads GROUP_EN two cycles after it enters, before that cycle's write lands.
    for (auto& f : flight_) {
      if (f.en_known || f.cycle + 2 != now_) continue;
      for (unsigned l = 0; l < kLanes; ++l) f.en[l] = en_model_[f.bank][f.group[l]];
      f.en_known = true;
    }
    if (en_write_) {
      en_model_[en_write_->bank][en_write_->group] = en_write_->value;
      en_write_.reset();
    }
    m_.edge();
    ++now_;
    if (m_->m_valid == 0U) return;
    if (flight_.empty()) {
      if (status_) status_ = ::testing::AssertionFailure() << "an output without an input";
      return;
    }
    const Expect e = flight_.front();
    flight_.pop_front();
    for (unsigned l = 0; l < kLanes && status_; ++l) {
      const bool hit = ((m_->m_hit >> l) & 1U) != 0;
      const std::uint32_t g = get_field(m_->m_group, kGl * l, kGl);
      const std::uint32_t en = get_field(m_->m_en, kEnW * l, kEnW);
      if (hit != e.hit[l] || g != e.group[l] || en != e.en[l]) {
        status_ = ::testing::AssertionFailure()
                  << "packet " << checked_ << " lane " << l << ": hit " << hit << " group " << g
                  << " en " << en << "; expected hit " << e.hit[l] << " group " << e.group[l]
                  << " en " << e.en[l];
      }
      hits_ += hit ? 1U : 0U;
    }
    if (status_ && m_->m_side != e.side) {
      status_ = ::testing::AssertionFailure() << "packet " << checked_ << ": side " << m_->m_side;
    }
    ++checked_;
  }

  dejfa::test::Model<Vdejfa_hdr_verify> m_;
  std::deque<Expect> flight_;
  struct EnWrite {
    unsigned bank;
    std::uint32_t group, value;
  };
  std::optional<EnWrite> en_write_;
  std::array<std::vector<std::uint32_t>, 2> en_model_{std::vector<std::uint32_t>(kGroups, 0),
                                                      std::vector<std::uint32_t>(kGroups, 0)};
  std::uint64_t now_ = 0;
  std::mt19937_64 rng_{9};
  std::size_t checked_ = 0, hits_ = 0;
  ::testing::AssertionResult status_ = ::testing::AssertionSuccess();
};

hdr::Limits limits() {
  hdr::Limits lim;
  lim.addr_cls_n = kAcls;
  lim.pcls_n = kPcls;
  lim.groups_n = kGroups;
  lim.spec_n = kSpec;
  lim.wide_n = 1U << 20;
  return lim;
}

dejfa::RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  return std::move(lr.set);
}

// A random rule set of the generator that fits the block's tables (fewer rules until it does).
dejfa::RuleSet fitting_set(std::uint64_t seed, hdr::Index& idx) {
  for (std::uint32_t n = 400;; n = n * 3 / 4) {
    dejfa::testgen::Gen g(seed);
    auto rs = g.rules(n);
    dejfa::Diags d;
    if (hdr::build(rs, limits(), idx, d)) return rs;
  }
}

void run(Tb& tb, std::mt19937_64& rng, unsigned bank, const hdr::Index& idx,
         const std::vector<Packet>& pkts) {
  for (std::size_t i = 0; i < pkts.size(); ++i) {
    const bool valid = rng() % 5 != 0;
    tb.packet(valid, bank, idx, pkts[i], static_cast<std::uint32_t>(i & 0xFF));
    tb.cycle();
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
}

TEST(HdrVerify, LanesEqualTheIndexModel) {
  std::mt19937_64 rng(1);
  Tb tb;
  std::size_t reversed = 0, complex = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    hdr::Index idx;
    const auto rs = fitting_set(seed, idx);
    tb.load(static_cast<unsigned>(seed % 2), idx);
    const auto pkts = packets_for(rs, seed + 100, 3000);
    for (const auto& p : pkts) {
      const auto e = expect_of(idx, p, 0);
      ASSERT_TRUE(lanes_are_the_index(idx, p, e));
      for (unsigned l = 0; l < kLanes; ++l) {
        if (!e.hit[l]) continue;
        const auto& rec =
            l < 4 ? idx.addr_rec[idx.classify(p).c[l / 2]] : idx.port_rec[idx.classify(p).c[l / 2]];
        reversed += rec.side[(l / 2) & 1U].at(l % 2).reversed ? 1U : 0U;
        const auto& gr = idx.groups[e.group[l]];
        complex += std::any_of(gr.f.begin(), gr.f.end(), [](const auto& f) { return f.cset >= 0; })
                       ? 1U
                       : 0U;
      }
    }
    run(tb, rng, static_cast<unsigned>(seed % 2), idx, pkts);
    std::printf("seed %llu: %zu rules, %zu groups, %zu address / %zu port classes, %zu specs\n",
                static_cast<unsigned long long>(seed), rs.rules.size(), idx.groups.size(),
                idx.addr_bounds.size(), idx.port_rec.size(), idx.specs.size());
  }
  std::printf(
      "%zu packets checked, %zu lane hits (%zu through reversed slots, %zu of groups "
      "with a complex set)\n",
      tb.checked(), tb.hits(), reversed, complex);
  EXPECT_GT(tb.hits(), tb.checked() / 10) << "aimed packets must hit";
  EXPECT_GT(reversed, 20U) << "`<>` groups must hit through their mirrored slots";
  EXPECT_GT(complex, 20U) << "groups with complex sets must hit";
}

// A firewall-shape set that fills GROUPS_N (v4/v6 prefixes of every length, lists, negation,
// ranges, `<>`, small fields), aimed packets.
TEST(HdrVerify, FirewallShapeAtCapacity) {
  std::mt19937_64 rng(2);
  dejfa::testgen::Gen g(7);
  hdr::Index idx;
  dejfa::RuleSet rs;
  for (std::uint32_t n = kGroups;; n = n * 7 / 8) {
    rs = parse(g.firewall_shape(n));
    dejfa::Diags d;
    if (hdr::build(rs, limits(), idx, d)) break;
  }
  Tb tb;
  tb.load(1, idx);
  const auto pkts = packets_for(rs, 8, kGroups >= 1024 ? 6000 : 3000);
  for (const auto& p : pkts) ASSERT_TRUE(lanes_are_the_index(idx, p, expect_of(idx, p, 0)));
  run(tb, rng, 1, idx, pkts);
  std::printf(
      "%zu rules, %zu groups (%zu wide), %zu address / %zu port classes, %zu specs, "
      "%zu complex sets; %zu packets, %zu lane hits\n",
      rs.rules.size(), idx.groups.size(), idx.wide_groups.size(), idx.addr_bounds.size(),
      idx.port_rec.size(), idx.specs.size(), idx.csets[0].size() + idx.csets[1].size(),
      tb.checked(), tb.hits());
  // The table that binds is more than half full (address classes in the small variant,
  // groups at the 100g sizes).
  EXPECT_TRUE(2 * idx.groups.size() > kGroups || 2 * idx.addr_bounds.size() > kAcls);
  EXPECT_GT(tb.hits(), tb.checked() / 4);
}

// Both banks hold different sets: packets pick a bank each cycle; a set written into the bank
// no packet reads, while packets run, changes nothing until packets read it; a reset drops
// what is in flight and keeps the tables.
TEST(HdrVerify, BanksWritesAndReset) {
  std::mt19937_64 rng(3);
  std::array<hdr::Index, 3> idx;
  std::array<dejfa::RuleSet, 3> rs;
  for (unsigned i = 0; i < 3; ++i) rs[i] = fitting_set(11 + i, idx[i]);
  std::array<std::vector<Packet>, 3> pkts;
  for (unsigned i = 0; i < 3; ++i) pkts[i] = packets_for(rs[i], 21 + i, 1500);
  Tb tb;
  tb.load(0, idx[0]);
  tb.load(1, idx[1]);
  // Bank 1 is rewritten with set 2 while every cycle a packet of set 0 runs in bank 0.
  std::size_t k = 0;
  tb.load(1, idx[2],
          [&] { tb.packet(rng() % 3 != 0, 0, idx[0], pkts[0][k++ % pkts[0].size()], 1); });
  tb.drain();
  ASSERT_TRUE(tb.status()) << "during the write of the other bank";
  // (the load is about 16,400 PORT_CLS writes of four lanes and the records; two in three
  // carry a packet)
  EXPECT_GT(tb.checked(), 10000U);
  // Packets switch banks at random: 0 holds set 0, 1 holds set 2.
  for (std::size_t i = 0; i < 3000; ++i) {
    const unsigned bank = static_cast<unsigned>(rng() & 1U);
    const unsigned set = bank == 0 ? 0 : 2;
    tb.packet(true, bank, idx[set], pkts[set][i % pkts[set].size()], bank);
    tb.cycle();
    ASSERT_TRUE(tb.status()) << "switching banks, packet " << i;
    if (i == 1500) tb.reset_now();
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
}

// GROUP_EN rewritten in the bank packets read, one entry a cycle while they run: each packet
// sees an entry as it was when it read it (two cycles after it entered), and no lookup's hit or
// group changes (the write has its own port).
TEST(HdrVerify, LiveEnableWritesInTheActiveBank) {
  std::mt19937_64 rng(4);
  hdr::Index idx;
  const auto rs = fitting_set(31, idx);
  const auto pkts = packets_for(rs, 32, 4000);
  Tb tb;
  tb.load(0, idx);
  for (std::size_t i = 0; i < pkts.size(); ++i) {
    tb.packet(rng() % 5 != 0, 0, idx, pkts[i], static_cast<std::uint32_t>(i & 0xFF));
    if (rng() % 2 == 0) {
      tb.live_en(0, static_cast<std::uint32_t>(rng() % idx.groups.size()),
                 static_cast<std::uint32_t>(rng() % (1U << kEnW)));
    }
    tb.cycle();
    ASSERT_TRUE(tb.status()) << "packet " << i;
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
  EXPECT_GT(tb.hits(), 500U);
}

}  // namespace
