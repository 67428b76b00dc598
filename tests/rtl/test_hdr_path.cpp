// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_hdr_path (version 3's header classification: address classes, spec vector
// and wide slots, verify lanes; docs/ARCHITECTURE.md section 6 "The swap in the core") against
// the table-level model of the image (hdr::Tables, hdr::path_eval). Every table of a rule set is
// loaded through the block's one write port as the loader will stream it (hdr::index_writes,
// hdr::wide_writes: hw/dejfa_regs.toml [[rtable]] ids and record words), the same writes fill
// the model's tables, packets enter as the parser describes them (addresses, fragment flag, l4
// kind, small fields), and the block must give, for every packet: every wide slot's header match
// bit for bit, every lane's hit, group and GROUP_EN as path_eval gives them, the lanes' hits
// equal to the indexed groups hdr::matched_groups reports (each once), and the packet's side
// fields on both outputs. Rule sets: the generator's (contents, lists,
// negation, `<>`, small fields) and a firewall-shape set with content rules, filled until a
// table binds. Packets: the generator's frames (decoded) and packets aimed at the rules, with
// random bubbles; two banks with different sets, packets switching between them, a load of the
// other bank under traffic, a set with fewer address boundaries loaded over one with more (the
// boundary count follows the last entry written), and a reset.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_hdr_path.h"

#include "dejfa/gen/regs.hpp"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image.hpp"
#include "lane_writes.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::uint32_t kAcls = DEJFA_HP_ACLS;
constexpr std::uint32_t kPcls = DEJFA_HP_PCLS;
constexpr std::uint32_t kGroups = DEJFA_HP_GROUPS;
constexpr std::uint32_t kSpec = DEJFA_HP_SPEC;
constexpr std::uint32_t kWide = DEJFA_HP_WIDE;
constexpr std::uint32_t kWcls = DEJFA_HP_WCLS;
constexpr std::uint32_t kCls = DEJFA_HP_CLS;
constexpr std::uint32_t kDsizeb = DEJFA_HP_DSIZEB;
constexpr unsigned kLanes = 8;
constexpr unsigned kGl = dejfa::test::clog2(kGroups);
constexpr unsigned kEnW = dejfa::hw::rec::group_en::W;

using dejfa::IpAddr;
using dejfa::Packet;
using dejfa::Row;
namespace hdr = dejfa::hdr;
using dejfa::testgen::packets_for;
namespace rtbl = dejfa::hw::rtbl;
using dejfa::test::get_field;
using dejfa::test::put;

hdr::Limits limits() {
  hdr::Limits lim;
  lim.addr_cls_n = kAcls;
  lim.pcls_n = kPcls;
  lim.groups_n = kGroups;
  lim.spec_n = kSpec;
  lim.wide_n = kWide;
  lim.wcls_n = kWcls;
  lim.cls_n = kCls;
  lim.dsizeb_n = kDsizeb;
  return lim;
}

/// A rule set with its index, wide tables, and every rule's enable and action.
struct Set {
  dejfa::RuleSet rs;
  hdr::Index idx;
  hdr::Wide wide;
  std::vector<bool> en;
  std::vector<dejfa::Action> act;
  /// Every table write, in load order, and the tables they fill (the table-level model).
  std::vector<hdr::RecWrite> writes;
  std::shared_ptr<hdr::Tables> tables;
};

bool fits(Set& s, std::uint64_t seed) {
  dejfa::Diags d;
  if (!hdr::build(s.rs, limits(), s.idx, d) || !hdr::build_wide(s.rs, s.idx, s.wide, d)) {
    return false;
  }
  std::mt19937_64 rng(seed);
  s.en.resize(s.rs.rules.size());
  s.act.resize(s.rs.rules.size());
  for (std::size_t r = 0; r < s.en.size(); ++r) {
    s.en[r] = rng() % 4 != 0;
    s.act[r] = static_cast<dejfa::Action>(rng() % 4);
  }
  s.writes = hdr::index_writes(s.idx, s.en, s.act);
  const auto wws = hdr::wide_writes(s.idx, s.wide);
  s.writes.insert(s.writes.end(), wws.begin(), wws.end());
  s.tables = std::make_shared<hdr::Tables>(limits());
  for (const auto& w : s.writes) {
    if (!s.tables->write(w)) return false;
  }
  return true;
}

dejfa::RuleSet parse(const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  return std::move(lr.set);
}

// A random rule set of the generator that fits the block (fewer rules until it does).
Set random_set(std::uint64_t seed, std::uint32_t n = 400) {
  for (;; n = n * 3 / 4) {
    dejfa::testgen::Gen g(seed);
    Set s;
    s.rs = g.rules(n);
    if (fits(s, seed)) return s;
  }
}

// A firewall-shape set of at most `n` rules with `contents` of the generator's rules (with their
// contents) added: fewer firewall rules until it fits.
Set firewall_set(std::uint32_t n, std::uint32_t contents, std::uint64_t seed) {
  for (;; n = n * 7 / 8) {
    dejfa::testgen::Gen g(seed);
    std::string text = g.firewall_shape(n);
    for (const auto& r : g.rules(contents).rules) text += r.text + "\n";
    Set s;
    s.rs = parse(text);
    if (fits(s, seed)) return s;
  }
}

/// An address as the parser gives it: 128 bits, IPv4 in bits 31:0 (IpAddr holds IPv4 as
/// ::a.b.c.d).
template <class W>
void put_addr(W& port, const IpAddr& a) {
  for (unsigned w = 0; w < 4; ++w) {
    const unsigned b = 12 - 4 * w;
    port[w] = (std::uint32_t{a.b[b]} << 24) | (std::uint32_t{a.b[b + 1]} << 16) |
              (std::uint32_t{a.b[b + 2]} << 8) | a.b[b + 3];
  }
}

struct Expect {
  hdr::PathOut out;                   // the table-level model's
  hdr::Descriptor d;                  // the model's header descriptor (hdr::descriptor_of)
  std::vector<std::uint32_t> groups;  // indexed groups matched (the index's), ascending
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

  /// Loads every table of `s` into `bank` through the write port, one write a cycle (an entry,
  /// or a fill's lanes of the port tables as the record port writes them: lane_writes); `during`
  /// is called before each write and may stage a packet (for the other bank) in that cycle.
  template <class F>
  void load(unsigned bank, const Set& s, F&& during) {
    for (const auto& lw : dejfa::test::lane_writes(s.writes)) {
      const auto& w = lw.w;
      during();
      m_->tw_en = 1;
      put(m_->tw_tbl, w.tbl);
      put(m_->tw_bank, bank);
      put(m_->tw_idx, w.idx);
      put(m_->tw_lanes, lw.lanes);
      for (std::size_t i = 0; i < w.w.size(); ++i) m_->tw_data[i] = w.w[i];
      step();
      idle();
    }
    written_ += s.writes.size();
  }
  void load(unsigned bank, const Set& s) {
    load(bank, s, [] {});
  }

  /// Stages a packet for the next cycle (with its expectation), or a bubble when !valid.
  void packet(bool valid, unsigned bank, const Set& s, const Packet& p, std::uint32_t side) {
    m_->s_valid = valid ? 1 : 0;
    put(m_->act_bank, bank);
    m_->s_ip = p.ip ? 1 : 0;
    m_->s_v6 = p.v6 ? 1 : 0;
    put_addr(m_->s_src, p.src);
    put_addr(m_->s_dst, p.dst);
    m_->s_frag = p.fragment ? 1 : 0;
    put(m_->s_l4, dejfa::l4_kind(p));
    put(m_->s_proto, p.proto);
    put(m_->s_ttl, p.ttl);
    put(m_->s_sport, p.sport);
    put(m_->s_dport, p.dport);
    put(m_->s_tcp_flags, p.tcp_flags);
    put(m_->s_icmp_type, p.icmp_type);
    put(m_->s_icmp_code, p.icmp_code);
    m_->s_payload_valid = p.payload_valid ? 1 : 0;
    put(m_->s_payload_len, p.payload_len);
    put(m_->s_side, side);
    if (!valid) return;
    Expect e;
    e.out = hdr::path_eval(*s.tables, p);
    for (const auto g : hdr::matched_groups(s.idx, p)) {
      if (!s.idx.groups[g].wide) e.groups.push_back(g);
    }
    e.d = hdr::descriptor_of(*s.tables, p, e.out);
    e.side = side;
    descs_ += p.ip ? 1U : 0U;
    const auto l4 = dejfa::l4_kind(p);
    fragments_ += p.ip && p.fragment && (l4 == 1 || l4 == 2) ? 1U : 0U;
    for (std::size_t i = 0; i < s.wide.rules.size(); ++i) {
      wide_hits_ += (e.out.wide[i / 32] >> (i % 32)) & 1U;
    }
    wide_.push_back(e);
    desc_.push_back(e);
    lanes_.push_back(std::move(e));
  }
  void cycle() {
    step();
    idle();
  }
  void drain() {
    for (std::uint32_t i = 0; i < 2 * dejfa::test::clog2(kAcls) + 10; ++i) cycle();
  }
  void reset_now() {
    idle();
    m_.reset(1);
    wide_.clear();
    desc_.clear();
    lanes_.clear();
  }
  std::size_t checked() const { return checked_; }
  std::size_t wide_hits() const { return wide_hits_; }
  std::size_t lane_hits() const { return lane_hits_; }
  /// IP packets whose descriptor was compared, and the distinct complex-set bits among them.
  std::size_t descs() const { return descs_; }
  std::size_t cset_kinds() const { return csets_.size(); }
  std::size_t written() const { return written_; }
  /// TCP or UDP fragments sent (their ports must not count).
  std::size_t fragments() const { return fragments_; }
  ::testing::AssertionResult status() const { return status_; }

 private:
  void idle() {
    m_->tw_en = 0;
    m_->s_valid = 0;
  }
  void fail(const std::string& what) {
    if (status_) status_ = ::testing::AssertionFailure() << "packet " << checked_ << ": " << what;
  }
  void step() {
    m_.edge();
    if (m_->w_valid != 0U) check_wide();
    if (m_->d_valid != 0U) check_desc();
    if (m_->m_valid != 0U) check_lanes();
  }
  void check_wide() {
    if (wide_.empty()) return fail("a wide output without an input");
    const Expect e = wide_.front();
    wide_.pop_front();
    for (unsigned i = 0; i < kWide / 32; ++i) {
      const std::uint32_t got = get_field(m_->w_wide, 32 * i, 32);
      if (got != e.out.wide[i]) {
        return fail("wide word " + std::to_string(i) + " is " + std::to_string(got) +
                    ", the model's " + std::to_string(e.out.wide[i]));
      }
    }
    if (m_->w_side != e.side) fail("wide side " + std::to_string(m_->w_side));
  }
  // The header descriptor, field by field (the spec vector was compared with the wide output's
  // model already; here it is the lanes' copy).
  void check_desc() {
    if (desc_.empty()) return fail("a descriptor without an input");
    const Expect e = desc_.front();
    desc_.pop_front();
    const auto& d = e.d;
    if ((m_->d_ip != 0U) != d.ip) return fail("descriptor ip " + std::to_string(m_->d_ip));
    const std::array<std::uint32_t, 4> cls = {m_->d_src, m_->d_dst, m_->d_sport, m_->d_dport};
    for (unsigned f = 0; f < 4; ++f) {
      if (cls[f] != d.cls[f]) {
        return fail("descriptor class " + std::to_string(f) + " is " + std::to_string(cls[f]) +
                    ", the model's " + std::to_string(d.cls[f]));
      }
      const std::uint64_t cs = std::uint64_t{get_field(m_->d_cset, 64 * f, 32)} |
                               (std::uint64_t{get_field(m_->d_cset, 64 * f + 32, 32)} << 32);
      if (cs != d.cset[f]) {
        return fail("descriptor complex sets of field " + std::to_string(f) + " are " +
                    std::to_string(cs) + ", the model's " + std::to_string(d.cset[f]));
      }
    }
    for (unsigned i = 0; i < kSpec / 32; ++i) {
      if (get_field(m_->d_spec, 32 * i, 32) != d.spec[i]) {
        return fail("descriptor spec word " + std::to_string(i) + " differs");
      }
    }
    if (m_->d_side != e.side) fail("descriptor side " + std::to_string(m_->d_side));
    if (d.ip) csets_.insert(d.cset);
  }
  void check_lanes() {
    if (lanes_.empty()) return fail("a lane output without an input");
    const Expect e = lanes_.front();
    lanes_.pop_front();
    // Every lane as the table-level model gives it (a packet that is not IP hits none).
    std::vector<std::uint32_t> got;
    for (unsigned l = 0; l < kLanes; ++l) {
      const bool hit = ((m_->m_hit >> l) & 1U) != 0;
      const std::uint32_t g = get_field(m_->m_group, kGl * l, kGl);
      const std::uint32_t en = get_field(m_->m_en, kEnW * l, kEnW);
      const hdr::Lane& want = e.out.lanes[l];
      if (hit != want.hit || g != want.group || en != want.en) {
        return fail("lane " + std::to_string(l) + ": hit " + std::to_string(hit) + " group " +
                    std::to_string(g) + " GROUP_EN " + std::to_string(en) + ", the model's " +
                    std::to_string(want.hit) + " " + std::to_string(want.group) + " " +
                    std::to_string(want.en));
      }
      if (hit) got.push_back(g);
    }
    std::sort(got.begin(), got.end());
    lane_hits_ += got.size();
    if (got != e.groups) {
      return fail("lanes hit " + std::to_string(got.size()) + " groups, the model " +
                  std::to_string(e.groups.size()));
    }
    if (m_->m_side != e.side) fail("lane side " + std::to_string(m_->m_side));
    ++checked_;
  }

  dejfa::test::Model<Vdejfa_hdr_path> m_;
  std::deque<Expect> wide_, desc_, lanes_;
  std::size_t descs_ = 0;
  std::set<std::array<std::uint64_t, 4>> csets_;
  std::size_t checked_ = 0, wide_hits_ = 0, lane_hits_ = 0, written_ = 0, fragments_ = 0;
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
  std::printf(
      "%s: %zu rules, %zu groups (%zu wide), %zu address / %zu port classes, %zu specs, "
      "%zu wide slots\n",
      what, s.rs.rules.size(), s.idx.groups.size(), s.idx.wide_groups.size(),
      s.idx.addr_bounds.size(), s.idx.port_rec.size(), s.idx.specs.size(), s.wide.rules.size());
}

TEST(HdrPath, RandomSetsEqualTheModel) {
  std::mt19937_64 rng(1);
  Tb tb;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Set s = random_set(seed);
    const auto bank = static_cast<unsigned>(seed % 2);
    tb.load(bank, s);
    run(tb, rng, bank, s, packets_for(s.rs, seed + 100, 3000, 0.1));
    describe(("seed " + std::to_string(seed)).c_str(), s);
  }
  std::printf("%zu packets checked (%zu TCP/UDP fragments), %zu wide-slot matches, %zu lane hits\n",
              tb.checked(), tb.fragments(), tb.wide_hits(), tb.lane_hits());
  EXPECT_GT(tb.wide_hits(), tb.checked()) << "packets must hit wide slots";
  EXPECT_GT(tb.fragments(), 200U) << "fragments must be among the packets";
  EXPECT_GT(tb.lane_hits(), tb.checked() / 10) << "packets must hit indexed groups";
}

// A firewall-shape set (v4/v6 prefixes of every length, lists, negation, ranges, `<>`, small
// fields) with the generator's content rules, grown until a table binds.
TEST(HdrPath, FirewallShapeWithContentRulesAtCapacity) {
  std::mt19937_64 rng(2);
  const Set s = firewall_set(std::max(kGroups, kAcls / 2), kWide / 4, 7);
  Tb tb;
  tb.load(1, s);
  run(tb, rng, 1, s, packets_for(s.rs, 8, kAcls >= 4096 ? 6000 : 3000, 0.1));
  describe("firewall shape with contents", s);
  std::printf(
      "%zu entries written, %zu packets checked, %zu wide-slot matches, %zu lane hits, %zu IP "
      "descriptors (%zu distinct complex-set bits)\n",
      tb.written(), tb.checked(), tb.wide_hits(), tb.lane_hits(), tb.descs(), tb.cset_kinds());
  EXPECT_TRUE(2 * s.idx.groups.size() > kGroups || 2 * s.idx.addr_bounds.size() > kAcls)
      << "the binding table must be more than half full";
  EXPECT_GT(tb.wide_hits(), tb.checked() / 2);
  EXPECT_GT(tb.lane_hits(), tb.checked() / 4);
  EXPECT_GT(tb.cset_kinds(), 20U) << "descriptors must carry many complex-set patterns";
}

// Both banks hold different sets; bank 1 is loaded while packets run on bank 0, then packets
// choose their bank one by one; a set with fewer address boundaries loaded over bank 1 replaces
// it whole (the count follows the last entry written); a reset drops what is in
// flight.
TEST(HdrPath, BanksLoadsUnderTrafficAndReset) {
  std::mt19937_64 rng(3);
  const Set a = random_set(11);
  const Set b = firewall_set(kGroups / 4, 40, 12);
  const Set c = random_set(13);
  ASSERT_LT(c.idx.addr_bounds.size(), b.idx.addr_bounds.size());
  const auto pa = packets_for(a.rs, 21, 4000, 0.1);
  const auto pb = packets_for(b.rs, 22, 4000, 0.1);
  const auto pc = packets_for(c.rs, 23, 2000, 0.1);
  Tb tb;
  tb.load(0, a);
  std::size_t i = 0;
  tb.load(1, b, [&] {
    tb.packet(rng() % 3 != 0, 0, a, pa[i % pa.size()], static_cast<std::uint32_t>(i & 0xFFFF));
    ++i;
  });
  tb.drain();
  ASSERT_TRUE(tb.status()) << "while the other bank was loaded";
  const std::size_t under_load = tb.checked();
  for (std::size_t k = 0; k < 4000; ++k) {
    const unsigned bank = rng() % 2;
    tb.packet(rng() % 5 != 0, bank, bank == 0 ? a : b, bank == 0 ? pa[k] : pb[k],
              static_cast<std::uint32_t>(k & 0xFFFF));
    tb.cycle();
    ASSERT_TRUE(tb.status()) << "packet " << k;
  }
  tb.drain();
  tb.load(1, c);
  run(tb, rng, 1, c, pc);
  // Packets in flight when reset comes are dropped; the tables stay.
  for (int k = 0; k < 3; ++k) {
    tb.packet(true, 0, a, pa[static_cast<std::size_t>(k)], 1);
    tb.cycle();
  }
  const std::size_t before = tb.checked();
  tb.reset_now();
  tb.drain();
  EXPECT_EQ(tb.checked(), before) << "a packet in flight survived the reset";
  // A reset empties the boundary counts, as after power-up (IMAGE_TAG reads 0 and the driver
  // loads again); the set loaded again judges as before.
  tb.load(0, a);
  run(tb, rng, 0, a, std::vector<Packet>(pa.begin(), pa.begin() + 500));
  std::printf("%zu packets checked (%zu while bank 1 was loaded), %zu lane hits\n", tb.checked(),
              under_load, tb.lane_hits());
  EXPECT_GT(under_load, 1000U);
}

}  // namespace
