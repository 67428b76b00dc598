// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_rec_port (the record port of version 3's tables, docs/ARCHITECTURE.md
// section 6) against a model of its registers: the host's writes (RT_SEL, RT_IDX, RT_DATA words)
// with random gaps, back to back, partial entries dropped by a new RT_IDX or RT_SEL, every table
// id (those without a table refused), indices running past 65,535 (refused, never wrapped onto
// entry 0), the active-bank bit on GROUP_EN and on other tables (refused to the shadow bank); each
// entry must come out one cycle after its last word with its table, bank, index and record, and
// the read-back registers must agree in every cycle. Then the header index's real records
// (every write of hdr::index_writes and hdr::wide_writes) stream through and come out bit for
// bit.
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

struct Entry {
  std::uint32_t tbl = 0, idx = 0;
  bool active = false;
  std::vector<std::uint32_t> words;
};

// The port's registers as the host sees them.
struct PortModel {
  std::uint32_t sel = 0, idx = 0, count = 0;
  bool err = false;
  std::vector<std::uint32_t> stage;

  [[nodiscard]] std::uint32_t tbl() const { return sel & ((1U << dejfa::hw::kRtIdW) - 1); }
  void write_sel(std::uint32_t v) {
    sel = v;
    count = 0;
    err = false;
    stage.clear();
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
      out = Entry{tbl(), idx, (sel & 0x100U) != 0 && active_ok, stage};
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
  void gap() { cycle(); }
  [[nodiscard]] std::size_t written() const { return written_; }
  [[nodiscard]] ::testing::AssertionResult status() const { return status_; }
  [[nodiscard]] bool err() const { return model_.err; }

 private:
  void idle() {
    m_->sel_we = 0;
    m_->idx_we = 0;
    m_->data_we = 0;
  }
  // One cycle; an entry must appear exactly in the cycle after its last word.
  void cycle() {
    m_.edge();
    idle();
    m_->eval();
    if (!status_) return;
    if (m_->tw_en != 0U) {
      if (want_.empty()) {
        status_ = ::testing::AssertionFailure() << "an entry nobody wrote";
        return;
      }
      const Entry e = want_.front();
      want_.pop_front();
      if (m_->tw_tbl != e.tbl || m_->tw_idx != e.idx || (m_->tw_active != 0U) != e.active) {
        status_ = ::testing::AssertionFailure()
                  << "entry " << written_ << ": table " << +m_->tw_tbl << " index " << m_->tw_idx
                  << " active " << +m_->tw_active << "; expected " << e.tbl << " " << e.idx << " "
                  << e.active;
        return;
      }
      for (unsigned w = 0; w < rtbl::kMaxWords; ++w) {
        const std::uint32_t want = w < e.words.size() ? e.words[w] : 0U;
        if (get_field(m_->tw_data, 32 * w, 32) != want) {
          status_ = ::testing::AssertionFailure() << "entry " << written_ << " word " << w;
          return;
        }
      }
      ++written_;
    } else if (!want_.empty()) {
      status_ = ::testing::AssertionFailure() << "entry " << written_ << " was not written";
      return;
    }
    if (m_->sel_q != model_.sel || m_->idx_q != model_.idx || m_->count_q != model_.count ||
        (m_->err_q != 0U) != model_.err) {
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
  ::testing::AssertionResult status_ = ::testing::AssertionSuccess();
};

TEST(RecPort, RandomWritesEqualTheModel) {
  std::mt19937_64 rng(1);
  Tb tb;
  std::size_t refused = 0;
  for (int round = 0; round < 400; ++round) {
    const auto tbl = static_cast<std::uint32_t>(rng() % 32);
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

}  // namespace
