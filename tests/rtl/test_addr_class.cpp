// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_addr_class (version 3's address classes, docs/HARDWARE.md "Address
// classes") against the header index model: tables built by dejfa::hdr from rule sets are
// loaded into a bank, and every lookup's class ids must equal Index::addr_class for both keys.
// Keys: every boundary and the key just below it, addresses inside and near the rule sets'
// prefixes, random IPv4 and IPv6. Lookups enter with random bubbles; both banks hold different
// sets and lookups switch between them; writes into the other bank while lookups run change
// nothing; a smaller count hides the boundaries beyond it; a reset drops what is in flight.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_addr_class.h"

#include "../common/randgen.hpp"
#include "dejfa/hdr_index.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::uint32_t kCls = DEJFA_AC_CLS;
constexpr unsigned kL = dejfa::test::clog2(kCls);

using dejfa::IpAddr;
namespace hdr = dejfa::hdr;

template <class W>
void put_key(W& port, const IpAddr& a) {
  for (unsigned w = 0; w < 4; ++w) {
    const unsigned b = 12 - 4 * w;  // word w holds address bytes b .. b+3, b+3 lowest
    port[w] = (std::uint32_t{a.b[b]} << 24) | (std::uint32_t{a.b[b + 1]} << 16) |
              (std::uint32_t{a.b[b + 2]} << 8) | a.b[b + 3];
  }
  port[4] = a.v6 ? 1U : 0U;
}

using dejfa::test::put;

// The key just below `a` (wrapping into the previous family), or `a` at the very start.
IpAddr below(IpAddr a) {
  for (int i = 15; i >= 0; --i) {
    const auto k = static_cast<std::size_t>(i);
    if (a.b[k] != 0) {
      --a.b[k];
      return a;
    }
    a.b[k] = 0xFF;
  }
  if (a.v6) {
    a.v6 = false;
    return a;
  }
  return IpAddr{};
}

struct Expect {
  std::uint32_t a, b, side;
};

class Tb {
 public:
  Tb() {
    idle();
    m_.reset(3);
  }
  Tb(const Tb&) = delete;
  Tb& operator=(const Tb&) = delete;

  void load(unsigned bank, const std::vector<IpAddr>& bounds) {
    for (std::size_t i = 1; i < bounds.size(); ++i) {
      idle();
      m_->tw_valid = 1;
      put(m_->tw_bank, bank);
      put(m_->tw_idx, static_cast<std::uint32_t>(i));
      put_key(m_->tw_key, bounds[i]);
      step();
    }
    set_count(bank, static_cast<std::uint32_t>(bounds.size()));
  }
  void set_count(unsigned bank, std::uint32_t n) {
    idle();
    m_->cnt_valid = 1;
    put(m_->cnt_bank, bank);
    put(m_->cnt_n, n);
    step();
    idle();
  }

  /// One cycle: a lookup of (a, b) in `bank` when `valid`, with `expect` for it, and optionally
  /// a write of `wkey` at index `widx` into bank `wbank` in the same cycle.
  void lookup(bool valid, unsigned bank, const IpAddr& a, const IpAddr& b, Expect e,
              const IpAddr* wkey = nullptr, unsigned wbank = 0, std::uint32_t widx = 0) {
    idle();
    m_->s_valid = valid ? 1 : 0;
    put(m_->act_bank, bank);
    put_key(m_->s_key_a, a);
    put_key(m_->s_key_b, b);
    put(m_->s_side, e.side);
    if (wkey != nullptr) {
      m_->tw_valid = 1;
      put(m_->tw_bank, wbank);
      put(m_->tw_idx, widx);
      put_key(m_->tw_key, *wkey);
    }
    if (valid) flight_.push_back(e);
    step();
  }
  void drain() {
    for (unsigned i = 0; i < 2 * kL + 2; ++i) lookup(false, 0, IpAddr{}, IpAddr{}, {});
  }
  void reset_now() {
    idle();
    m_.reset(1);
    flight_.clear();
  }
  std::size_t checked() const { return checked_; }
  ::testing::AssertionResult status() const { return status_; }

 private:
  void idle() {
    m_->tw_valid = 0;
    m_->cnt_valid = 0;
    m_->s_valid = 0;
  }
  void step() {
    m_.edge();
    if (m_->m_valid != 0U) {
      if (flight_.empty()) {
        status_ = ::testing::AssertionFailure() << "an output without an input";
        return;
      }
      const Expect e = flight_.front();
      flight_.pop_front();
      if (m_->m_cls_a != e.a || m_->m_cls_b != e.b || m_->m_side != e.side) {
        if (status_) {
          status_ = ::testing::AssertionFailure()
                    << "lookup " << checked_ << ": classes " << m_->m_cls_a << ", " << m_->m_cls_b
                    << " side " << m_->m_side << "; expected " << e.a << ", " << e.b << " side "
                    << e.side;
        }
      }
      ++checked_;
    }
  }

  dejfa::test::Model<Vdejfa_addr_class> m_;
  std::deque<Expect> flight_;
  std::size_t checked_ = 0;
  ::testing::AssertionResult status_ = ::testing::AssertionSuccess();
};

hdr::Index index_of(const std::string& rules) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(rules, "test.rules", {}, lr);
  hdr::Limits lim;
  lim.addr_cls_n = kCls;
  lim.groups_n = lim.wide_n = 1U << 20;
  hdr::Index idx;
  dejfa::Diags d;
  EXPECT_TRUE(hdr::build(lr.set, lim, idx, d)) << (d.empty() ? "" : d[0].message);
  return idx;
}

// A firewall set whose classes nearly fill CLS_N (two boundaries per rule).
std::string filling_set(std::uint64_t seed) {
  return dejfa::testgen::Gen(seed).firewall_own(kCls / 2 - 2);
}

// Keys for a set: each boundary and the key below it, points inside prefixes, random keys.
std::vector<IpAddr> keys_for(const hdr::Index& idx, std::mt19937_64& rng, std::size_t n) {
  std::vector<IpAddr> v;
  for (const auto& b : idx.addr_bounds) {
    v.push_back(b);
    v.push_back(below(b));
  }
  while (v.size() < n) {
    IpAddr a;
    switch (rng() % 4) {
      case 0: {  // near a boundary: change its low byte
        a = idx.addr_bounds[rng() % idx.addr_bounds.size()];
        a.b[15] = static_cast<std::uint8_t>(rng());
        break;
      }
      case 1:
        a = IpAddr::v4(static_cast<std::uint32_t>(rng()));
        break;
      case 2:
        a = IpAddr::v4(0x0A000000U | static_cast<std::uint32_t>(rng() & 0xFFFFFF));
        break;
      default:
        a.v6 = true;
        for (auto& x : a.b) x = static_cast<std::uint8_t>(rng());
        if ((rng() & 1U) != 0U) a.b[0] = 0x20, a.b[1] = 0x01, a.b[2] = 0x0d, a.b[3] = 0xb8;
        break;
    }
    v.push_back(a);
  }
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

TEST(AddrClass, LookupsEqualTheIndexModel) {
  std::mt19937_64 rng(1);
  const hdr::Index idx = index_of(filling_set(3));
  ASSERT_LE(idx.addr_bounds.size(), kCls);
  ASSERT_GT(idx.addr_bounds.size(), kCls / 2);
  Tb tb;
  tb.load(0, idx.addr_bounds);
  const auto keys = keys_for(idx, rng, 3 * idx.addr_bounds.size() + 2000);
  for (std::size_t i = 0; i + 1 < keys.size(); i += 2) {
    const bool valid = rng() % 5 != 0;
    tb.lookup(valid, 0, keys[i], keys[i + 1],
              {idx.addr_class(keys[i]), idx.addr_class(keys[i + 1]),
               static_cast<std::uint32_t>(i & 0xFF)});
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
  std::printf("CLS_N %u: %zu boundaries, %zu lookups checked\n", kCls, idx.addr_bounds.size(),
              tb.checked());
  EXPECT_GT(tb.checked(), keys.size() / 3);
}

// Both banks hold different sets; lookups pick a bank each cycle; writes into a bank no lookup
// reads change nothing; a smaller count hides the boundaries beyond it.
TEST(AddrClass, BanksWritesAndCounts) {
  std::mt19937_64 rng(2);
  const hdr::Index i0 = index_of(filling_set(5));
  dejfa::testgen::Gen g(6);
  const hdr::Index i1 = index_of(g.firewall_shape(std::min<std::uint32_t>(kCls / 16, 2000)));
  ASSERT_LE(i1.addr_bounds.size(), kCls);
  Tb tb;
  tb.load(0, i0.addr_bounds);
  tb.load(1, i1.addr_bounds);
  auto keys = keys_for(i0, rng, 2000);
  const auto k1 = keys_for(i1, rng, 2000);
  keys.insert(keys.end(), k1.begin(), k1.end());
  std::shuffle(keys.begin(), keys.end(), rng);
  // Lookups in bank 0 only, while bank 1 is rewritten with garbage and then with its set again.
  for (std::size_t i = 0; i + 1 < keys.size(); i += 2) {
    const IpAddr junk = keys[(i * 7) % keys.size()];
    const auto widx = static_cast<std::uint32_t>(1 + rng() % (kCls - 1));
    tb.lookup(true, 0, keys[i], keys[i + 1],
              {i0.addr_class(keys[i]), i0.addr_class(keys[i + 1]), 1}, &junk, 1, widx);
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  tb.load(1, i1.addr_bounds);
  for (std::size_t i = 0; i + 1 < keys.size(); i += 2) {
    const unsigned bank = static_cast<unsigned>(rng() & 1U);
    const hdr::Index& x = bank == 0 ? i0 : i1;
    tb.lookup(rng() % 4 != 0, bank, keys[i], keys[i + 1],
              {x.addr_class(keys[i]), x.addr_class(keys[i + 1]), bank});
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  // A count of n hides boundaries n and beyond: the class is min(class, n - 1).
  const auto n = static_cast<std::uint32_t>(i0.addr_bounds.size() / 2);
  tb.set_count(0, n);
  for (std::size_t i = 0; i + 1 < keys.size(); i += 2) {
    tb.lookup(
        true, 0, keys[i], keys[i + 1],
        {std::min(i0.addr_class(keys[i]), n - 1), std::min(i0.addr_class(keys[i + 1]), n - 1), 2});
    ASSERT_TRUE(tb.status());
  }
  tb.drain();
  ASSERT_TRUE(tb.status());
}

// The sets of the random rule generator (few classes, both families, nested prefixes), and a
// reset while lookups are in flight.
TEST(AddrClass, RandomRuleSetsAndReset) {
  std::mt19937_64 rng(3);
  Tb tb;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    dejfa::testgen::Gen g(seed);
    const auto rs = g.rules(150);
    hdr::Limits lim;
    lim.addr_cls_n = kCls;
    lim.groups_n = lim.wide_n = 1U << 20;
    hdr::Index idx;
    dejfa::Diags d;
    ASSERT_TRUE(hdr::build(rs, lim, idx, d));
    tb.load(seed % 2, idx.addr_bounds);
    const auto keys = keys_for(idx, rng, 1000);
    for (std::size_t i = 0; i + 1 < keys.size(); i += 2) {
      tb.lookup(true, static_cast<unsigned>(seed % 2), keys[i], keys[i + 1],
                {idx.addr_class(keys[i]), idx.addr_class(keys[i + 1]), 3});
      ASSERT_TRUE(tb.status()) << "seed " << seed;
      if (i == 400) {
        tb.reset_now();  // what was in flight never comes out; the tables survive a reset
        tb.set_count(seed % 2, static_cast<std::uint32_t>(idx.addr_bounds.size()));
      }
    }
    tb.drain();
    ASSERT_TRUE(tb.status()) << "seed " << seed;
  }
}

}  // namespace
