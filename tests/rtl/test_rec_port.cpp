// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_rec_port (the record port of version 3's tables, docs/ARCHITECTURE.md
// section 6) against a model of its registers: the host's writes (RT_SEL, RT_IDX, RT_DATA words)
// with random gaps, back to back, partial entries dropped by a new RT_IDX or RT_SEL, every table
// id (those without a table refused), indices running past 65,535 (refused, never wrapped onto
// entry 0), the active-bank bit on GROUP_EN and on other tables (refused to the shadow bank); each
// entry must come out one cycle after its last word with its table, bank, index and record, and
// the read-back registers must agree in every cycle. Fills (RT_FILL) repeat the last entry one a
// cycle, or in the tables marked fill_lanes (PORT_CLS, WCLS_PORT) up to kFillLanes a cycle to the
// end of each aligned group of indices (tw_lanes names the group's entries written), with `busy`
// high exactly while they run, refused without an entry since RT_SEL or above 65,536 entries. Then
// the header index's real records (every write of hdr::index_writes and hdr::wide_writes) stream
// through and come out bit for bit.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_rec_port.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/hdr_index.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

namespace rtbl = dejfa::hw::rtbl;
namespace hdr = dejfa::hdr;
using dejfa::test::get_field;

constexpr std::uint32_t kLanes = dejfa::hw::rtbl::kFillLanes;

/// One write of the port: entry `idx` and, in a fill of a fill-lane table, the next entries of
/// its aligned group of kLanes (`lanes`: bit l = entry idx - idx % kLanes + l).
struct Entry {
  std::uint32_t tbl = 0, idx = 0;
  bool active = false;
  std::vector<std::uint32_t> words;
  std::uint32_t lanes = 0;
};

// The port's registers as the host sees them.
struct PortModel {
  std::uint32_t sel = 0, idx = 0, count = 0;
  bool err = false;
  std::vector<std::uint32_t> stage;
  std::optional<Entry> last;  // the last entry written since RT_SEL

  [[nodiscard]] std::uint32_t tbl() const { return sel & ((1U << dejfa::hw::kRtIdW) - 1); }
  void write_sel(std::uint32_t v) {
    sel = v;
    count = 0;
    err = false;
    stage.clear();
    last.reset();
  }
  /// RT_FILL: the writes it makes, in order (one a cycle), and how many cycles it runs (a
  /// refused write at an index past 65,535 takes its cycle too).
  std::vector<Entry> write_fill(std::uint32_t n, std::uint32_t& cycles) {
    std::vector<Entry> out;
    stage.clear();
    cycles = 0;
    if (!last || n > 65536) {
      err = true;
      return out;
    }
    const bool wide = rtbl::kWideFill[last->tbl];
    while (n > 0) {
      const std::uint32_t lo = idx % kLanes;
      const std::uint32_t step = std::min(n, wide ? kLanes - lo : 1U);
      ++cycles;
      if (idx >= 65536) {
        err = true;
      } else {
        Entry e = *last;
        e.idx = idx;
        e.lanes = ((1U << step) - 1U) << lo;
        out.push_back(e);
        count += step;
      }
      idx += step;
      n -= step;
    }
    return out;
  }
  void write_idx(std::uint32_t v) {
    idx = v;
    stage.clear();
  }
  /// A data word; the entry it completes, if any.
  std::optional<Entry> write_data(std::uint32_t w) {
    const unsigned words = rtbl::kWords[tbl()];
    if (words == 0) {
      err = true;
      return std::nullopt;
    }
    stage.push_back(w);
    if (stage.size() < words) return std::nullopt;
    std::optional<Entry> out;
    const bool active_ok = (sel & 0x100U) == 0 || tbl() == rtbl::GROUP_EN;
    if (idx < 65536) {
      out = Entry{tbl(), idx, (sel & 0x100U) != 0 && active_ok, stage, 1U << (idx % kLanes)};
      last = out;
      ++count;
    }
    if (idx >= 65536 || !active_ok) err = true;
    ++idx;
    stage.clear();
    return out;
  }
};

class Tb {
 public:
  Tb() {
    idle();
    m_.reset(1);
  }

  void sel(std::uint32_t v) {
    m_->sel_we = 1;
    m_->wdata = v;
    model_.write_sel(v);
    cycle();
  }
  void idx(std::uint32_t v) {
    m_->idx_we = 1;
    m_->wdata = v;
    model_.write_idx(v);
    cycle();
  }
  void data(std::uint32_t w) {
    m_->data_we = 1;
    m_->wdata = w;
    if (auto e = model_.write_data(w)) want_.push_back(*e);
    cycle();
  }
  /// RT_FILL = n, then the cycles it runs (busy must be high in exactly those).
  void fill(std::uint32_t n) {
    m_->fill_we = 1;
    m_->wdata = n;
    std::uint32_t cycles = 0;
    auto entries = model_.write_fill(n, cycles);
    filling_ = cycles;
    cycle();  // the fill starts: its first entry comes out after the next edge
    for (auto& e : entries) want_.push_back(std::move(e));
    while (filling_ > 0 && status_) cycle();
    if (cycles > 0) cycle();  // busy falls with the last entry's edge; the next write may follow
  }
  void gap() { cycle(); }
  /// entries written, and the writes (cycles) that wrote them
  [[nodiscard]] std::size_t written() const { return written_; }
  [[nodiscard]] std::size_t writes() const { return writes_; }
  [[nodiscard]] ::testing::AssertionResult status() const { return status_; }
  [[nodiscard]] bool err() const { return model_.err; }

 private:
  void idle() {
    m_->sel_we = 0;
    m_->idx_we = 0;
    m_->data_we = 0;
    m_->fill_we = 0;
  }
  // One cycle; an entry must appear exactly in the cycle after its last word.
  void cycle() {
    m_.edge();
    idle();
    m_->eval();
    if (!status_) return;
    if ((m_->busy != 0U) != (filling_ > 0)) {
      status_ = ::testing::AssertionFailure()
                << "busy " << +m_->busy << ", fill cycles left " << filling_;
      return;
    }
    if (filling_ > 0) --filling_;
    if (m_->tw_en != 0U) {
      if (want_.empty()) {
        status_ = ::testing::AssertionFailure() << "an entry nobody wrote";
        return;
      }
      const Entry e = want_.front();
      want_.pop_front();
      if (m_->tw_tbl != e.tbl || m_->tw_idx != e.idx || (m_->tw_active != 0U) != e.active ||
          m_->tw_lanes != e.lanes) {
        status_ = ::testing::AssertionFailure()
                  << "entry " << written_ << ": table " << +m_->tw_tbl << " index " << m_->tw_idx
                  << " active " << +m_->tw_active << " lanes " << +m_->tw_lanes << "; expected "
                  << e.tbl << " " << e.idx << " " << e.active << " " << e.lanes;
        return;
      }
      for (unsigned w = 0; w < rtbl::kMaxWords; ++w) {
        const std::uint32_t want = w < e.words.size() ? e.words[w] : 0U;
        if (get_field(m_->tw_data, 32 * w, 32) != want) {
          status_ = ::testing::AssertionFailure() << "entry " << written_ << " word " << w;
          return;
        }
      }
      written_ += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(m_->tw_lanes)));
      ++writes_;
    } else if (!want_.empty()) {
      status_ = ::testing::AssertionFailure() << "entry " << written_ << " was not written";
      return;
    }
    // While a fill runs, RT_IDX and RT_COUNT move an entry a cycle towards the model's.
    if (m_->busy == 0U && (m_->sel_q != model_.sel || m_->idx_q != model_.idx ||
                           m_->count_q != model_.count || (m_->err_q != 0U) != model_.err)) {
      status_ = ::testing::AssertionFailure()
                << "registers: sel " << m_->sel_q << " idx " << m_->idx_q << " count "
                << m_->count_q << " err " << +m_->err_q << "; model " << model_.sel << " "
                << model_.idx << " " << model_.count << " " << model_.err;
    }
  }

  dejfa::test::Model<Vdejfa_rec_port> m_;
  PortModel model_;
  std::deque<Entry> want_;
  std::size_t written_ = 0;
  std::size_t writes_ = 0;
  std::uint32_t filling_ = 0;  // fill cycles still to come
  ::testing::AssertionResult status_ = ::testing::AssertionSuccess();
};

TEST(RecPort, RandomWritesEqualTheModel) {
  std::mt19937_64 rng(1);
  Tb tb;
  std::size_t refused = 0;
  for (int round = 0; round < 400; ++round) {
    const auto tbl = static_cast<std::uint32_t>(rng() % (1U << dejfa::hw::kRtIdW));
    const bool active = rng() % 6 == 0;
    tb.sel(tbl | (active ? 0x100U : 0U) | (static_cast<std::uint32_t>(rng() % 2) << 12));
    const std::uint32_t first = rng() % 4 == 0 ? 65536 - static_cast<std::uint32_t>(rng() % 4)
                                               : static_cast<std::uint32_t>(rng() % 65536);
    tb.idx(first);
    const unsigned words = rtbl::kWords[tbl] == 0 ? 3U : rtbl::kWords[tbl];
    const unsigned entries = 1 + static_cast<unsigned>(rng() % 6);
    for (unsigned e = 0; e < entries; ++e) {
      for (unsigned w = 0; w < words; ++w) {
        if (rng() % 3 == 0) tb.gap();
        tb.data(static_cast<std::uint32_t>(rng()));
        ASSERT_TRUE(tb.status()) << "round " << round;
      }
      if (rng() % 10 == 0) {  // a partial entry, then a new index drops it
        tb.data(static_cast<std::uint32_t>(rng()));
        tb.idx(static_cast<std::uint32_t>(rng() % 65536));
      }
      if (rng() % 8 == 0) {  // a fill (it drops a partial entry too), sometimes an empty or
                             // oversized one
        if (rng() % 2 == 0) tb.data(static_cast<std::uint32_t>(rng()));
        const std::uint32_t pick = static_cast<std::uint32_t>(rng() % 16);
        tb.fill(pick == 0 ? 0U : pick == 1 ? 65537U : pick);
        ASSERT_TRUE(tb.status()) << "round " << round;
      }
    }
    refused += tb.err() ? 1U : 0U;
    ASSERT_TRUE(tb.status()) << "round " << round;
  }
  tb.gap();
  ASSERT_TRUE(tb.status());
  std::printf("%zu entries written; a refusal in %zu of 400 rounds\n", tb.written(), refused);
  EXPECT_GT(tb.written(), 800U);
  EXPECT_GT(refused, 40U) << "refusals must be exercised";
  EXPECT_LT(refused, 300U) << "most rounds must load cleanly";
}

// The header index's own records, as the loader will stream them, come out bit for bit.
TEST(RecPort, IndexRecordsStreamThrough) {
  dejfa::testgen::Gen g(3);
  const auto rs = g.rules(150);
  hdr::Index idx;
  hdr::Wide wide;
  dejfa::Diags d;
  ASSERT_TRUE(hdr::build(rs, hdr::Limits{}, idx, d));
  ASSERT_TRUE(hdr::build_wide(rs, idx, wide, d));
  Tb tb;
  auto stream = [&](std::uint32_t tbl, std::uint32_t first,
                    const std::vector<std::vector<std::uint32_t>>& recs) {
    tb.sel(tbl);
    tb.idx(first);
    for (const auto& r : recs) {
      ASSERT_EQ(r.size(), rtbl::kWords[tbl]);
      for (const auto w : r) tb.data(w);
    }
  };
  // Every write of the index and the wide block, a run of consecutive entries of one table at
  // a time (each rule enabled, alternating actions).
  std::vector<bool> en(rs.rules.size(), true);
  std::vector<dejfa::Action> act(rs.rules.size());
  for (std::size_t r = 0; r < act.size(); ++r) act[r] = static_cast<dejfa::Action>(r % 4);
  auto ws = hdr::index_writes(idx, en, act);
  const auto wws = hdr::wide_writes(idx, wide);
  ws.insert(ws.end(), wws.begin(), wws.end());
  std::vector<std::vector<std::uint32_t>> recs;
  for (std::size_t i = 0; i < ws.size();) {
    std::size_t j = i;
    recs.clear();
    while (j < ws.size() && ws[j].tbl == ws[i].tbl && ws[j].idx == ws[i].idx + (j - i)) {
      recs.emplace_back(ws[j].w.begin(), ws[j].w.begin() + rtbl::kWords[ws[j].tbl]);
      ++j;
    }
    stream(ws[i].tbl, ws[i].idx, recs);
    i = j;
  }
  tb.gap();
  ASSERT_TRUE(tb.status());
  EXPECT_FALSE(tb.err());
  std::printf("%zu entries written\n", tb.written());
  EXPECT_EQ(tb.written(), ws.size());
}

// A fill writes a whole table of 65,536 entries from one entry (PORT_CLS: kFillLanes a cycle, so
// a quarter of the cycles), and a fill before any entry or past index 65,535 is refused without
// wrapping onto entry 0; runs that start and end inside a group of lanes; a table without lanes
// takes one entry a cycle.
TEST(RecPort, FillsRepeatTheLastEntry) {
  Tb tb;
  tb.sel(rtbl::PORT_CLS);
  tb.fill(4);  // no entry yet
  ASSERT_TRUE(tb.status());
  EXPECT_TRUE(tb.err());
  EXPECT_EQ(tb.written(), 0U);
  tb.sel(rtbl::PORT_CLS);
  tb.idx(0);
  tb.data(7);
  tb.fill(65535);
  ASSERT_TRUE(tb.status());
  EXPECT_FALSE(tb.err());
  EXPECT_EQ(tb.written(), 65536U);
  static_assert(kLanes == 4);
  EXPECT_EQ(tb.writes(), 1U + 1 + 65532 / 4) << "entry 0, entries 1-3, then 4 a cycle";
  tb.fill(1);  // index 65,536: refused
  ASSERT_TRUE(tb.status());
  EXPECT_TRUE(tb.err());
  EXPECT_EQ(tb.written(), 65536U);
  // WCLS_PORT: runs of every length from every offset in a group, one past the table's end.
  tb.sel(rtbl::WCLS_PORT);
  tb.idx(65000);
  tb.data(3);
  std::size_t entries = 65536 + 1;
  for (std::uint32_t n = 0; n <= 9; ++n) {
    for (std::uint32_t k = 0; k < kLanes; ++k) {
      tb.idx(60000 + 16 * (n * kLanes + k) + k);
      tb.data(n);
      tb.fill(n);
      entries += 1 + n;
      ASSERT_TRUE(tb.status()) << n << " " << k;
    }
  }
  EXPECT_FALSE(tb.err());
  tb.idx(65531);
  tb.data(5);
  tb.fill(8);  // 65,532 .. 65,535 written, 65,536 .. 65,539 refused
  entries += 1 + 4;
  ASSERT_TRUE(tb.status());
  EXPECT_TRUE(tb.err());
  EXPECT_EQ(tb.written(), entries);
  const std::size_t before = tb.writes();
  // A run in the middle of a table, after RT_IDX moved on.
  tb.sel(rtbl::GROUP_REC);
  tb.idx(100);
  for (unsigned w = 0; w < rtbl::kWords[rtbl::GROUP_REC]; ++w) tb.data(0x1000 + w);
  tb.idx(300);
  tb.fill(3);
  tb.gap();
  ASSERT_TRUE(tb.status());
  EXPECT_FALSE(tb.err());
  EXPECT_EQ(tb.written(), entries + 4);
  EXPECT_EQ(tb.writes(), before + 4) << "GROUP_REC: an entry a cycle";
}

}  // namespace
