// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_verify_queue (the job queue between the candidate check and the verifiers;
// issue #25, docs/HARDWARE.md "The job queue"), Verilated for both configurations and, small
// (4 frame slots, 8 job rows, 32 retirement rows, LAG_MAX 256), for its capacity limits.
//
// The test drives what the core will: a line of frames (each frame's payload bounds at its first
// beat, its last beat's pulse), and behind it the candidate check's stream (each frame's lanes,
// E a cycle with random rules, header hits, DECIDED and budget fields, after its bounds; its end
// after its last beat, sometimes shed upstream). The verifiers are a double: NV of them, a job to
// the lowest-numbered idle one, each holding its job a random number of cycles within its budget
// (or all of it, overrunning or not) and matching at random.
//
// Checked on every cycle against a model of the queue's arithmetic kept in step with the RTL (the
// held budgets, the reserved work, the retirement horizon H and the rows, job rows and slots in
// use, from the jobs the double took and the frames that left):
// - every frame leaves once, in order, with the rules the model expects: its decided hits and its
//   jobs whose result matched, none when it overflowed; its flags (shed here, overran, overflow)
//   the model's; a frame is shed exactly when the model's bound or capacity says so;
// - every job offered is a job of an admitted frame, once, with its frame's bounds and the
//   budget from its lane's fields;
// - every frame leaves by its deadline (its last beat + LAG_MAX) and by its bound H: the bound the
//   admission relies on holds, which the case of full budgets pushes to its edge.

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_verify_queue.h"

#include "dejfa/gen/regs.hpp"

#include "dejfa/sim/harness.hpp"
#include "vl_bits.hpp"

namespace {

using Model = Vdejfa_verify_queue;
namespace vj = dejfa::hw::rec::vjob;
constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr unsigned kE = kCfg.data_w >= 512 ? 8 : 2;
constexpr unsigned kNv = kCfg.data_w >= 512 ? 8 : 4;
constexpr std::uint32_t kStarts = kCfg.data_w >= 512 ? 16 : 32;
constexpr std::uint32_t kBpb = kCfg.data_w / 8;
#ifdef DEJFA_VQ_SMALL
constexpr std::uint32_t kLag = 256, kFn = 4, kJq = 8, kRq = 32;
#else
constexpr std::uint32_t kLag = 1024, kFn = kCfg.data_w >= 512 ? 128 : 32,
                        kJq = kCfg.data_w >= 512 ? 1024 : 64, kRq = dejfa::hw::kPktDepth;
#endif
constexpr std::uint32_t kBudgetMax = kLag / 2;
constexpr std::uint32_t kBq = 256;
constexpr std::uint32_t kKj = 2;
constexpr unsigned kEw = dejfa::test::clog2(kE);
constexpr unsigned kJw = dejfa::test::clog2(kJq);
constexpr unsigned kFw = dejfa::test::clog2(kFn);

// 16-bit time: a at or before b
bool t_le(std::uint32_t a, std::uint32_t b) { return ((b - a) & 0x8000U) == 0; }
std::uint32_t t_max(std::uint32_t a, std::uint32_t b) { return t_le(a, b) ? b : a; }
std::uint32_t t16(std::uint64_t x) { return static_cast<std::uint32_t>(x & 0xFFFFU); }

struct Lane {
  std::uint32_t rule = 0, prog = 0, bfix = 0, bpay = 0;
  bool valid = false, hit = false, decided = false, bx2 = false;
  [[nodiscard]] bool job() const { return valid && hit && !decided; }
  [[nodiscard]] bool match() const { return valid && hit && decided; }
};

struct Frame {
  std::uint32_t plen = 0, poff = 0, base = 0, bank = 0, beats = 1;
  std::vector<std::array<Lane, kE>> rows;  // the candidate check's cycles of lanes
  bool shed_up = false;
  bool late = false;  // its end held until about 270 cycles before its deadline
  // filled as it goes
  std::uint64_t b_cycle = 0, l_cycle = 0;
  bool b_sent = false, l_sent = false;
  std::uint32_t dl = 0;  // its deadline (16-bit time)
  // the model's decision
  bool decided = false, admitted = false, shed = false;
  std::uint32_t rows_kept = 0, h = 0, jq_end = 0;
  std::uint32_t j = 0, last_result = 0;  // its jobs' bound J, the cycle of its last result
  bool has_slot = false;
  std::map<std::uint32_t, int> jobs;  // rule -> -1 not taken, 0/1 its result
  bool overran = false;
  std::size_t jobs_n = 0;
};

std::uint32_t budget_of(const Lane& l, std::uint32_t plen) {
  const std::uint32_t words = (plen + kStarts - 1) / kStarts;
  std::uint64_t raw = l.bfix + std::uint64_t{l.bpay} * words;
  if (l.bx2) raw *= 2;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(raw, kBudgetMax));
}

struct Knobs {
  std::size_t frames = 3000;
  int heavy_pct = 5;         // frames with many jobs
  int full_budget_pct = 10;  // jobs holding their whole budget
  int gap_pct = 20;          // line cycles without a beat
  bool all_full = false;     // every job holds its whole budget
  // the middle frame: 64 rows of E jobs of budget 500 (about 32,500 cycles a verifier at 100g),
  // its end held until about 270 cycles before its deadline
  bool late_heavy = false;
};

struct Stats {
  std::size_t frames = 0, with_jobs = 0, jobs = 0, shed_bound = 0, shed_cap = 0, shed_up = 0,
              overran = 0, matched_out = 0, decided_out = 0, late_shed = 0;
  bool late_heavy_shed = false;        // the late heavy frame (Knobs::late_heavy) was shed
  std::int64_t min_slack = 1 << 30;    // deadline - the cycle its end left
  std::int64_t min_h_slack = 1 << 30;  // H - the cycle its end left
  std::int64_t min_j_slack = 1 << 30;  // J - the cycle of its last result
  std::uint64_t cycles = 0;
};

// The model of the queue's decision stage (S4) and its shared counts, kept in step with the RTL.
struct QModel {
  // S4's frame accumulators
  bool fail = false, slot_v = false;
  std::uint64_t cost = 0;
  std::uint32_t bmax = 0, rows = 0, njobs = 0;
  std::uint32_t rq0 = 0, jq0 = 0;
  // shared
  std::uint32_t rq_wr = 0, rq_free = 0, jq_wr = 0, jq_free = 0, sl_wr = 0, sl_free = 0;
  std::uint64_t reserved = 0;
  std::array<std::uint32_t, kNv> cnt{};
  std::uint64_t held = 0;
  std::uint32_t hz = 0;
};

Stats run(std::uint64_t seed, const Knobs& k) {
  dejfa::sim::Harness<Model> h(seed);
  Model& m = h.m();
  std::mt19937_64& rng = h.rng();
  const auto pct = [&](int p) { return static_cast<int>(rng() % 100) < p; };
  const auto uni = [&](std::uint32_t lo, std::uint32_t hi) {
    return lo + static_cast<std::uint32_t>(rng() % (hi - lo + 1));
  };

  // ---- the frames
  std::vector<Frame> fr(k.frames);
  for (std::size_t i = 0; i < fr.size(); ++i) {
    Frame& f = fr[i];
    const int r = static_cast<int>(rng() % 100);
    f.plen = r < 20 ? 0 : r < 70 ? uni(1, 300) : r < 95 ? uni(300, 1460) : uni(1460, 9000);
    f.poff = uni(14, 80);
    f.base = static_cast<std::uint32_t>(i & 0xFFFFU);
    f.bank = static_cast<std::uint32_t>(rng() & 1U);
    f.beats = std::max<std::uint32_t>(1, (f.plen + f.poff + kBpb - 1) / kBpb);
    f.shed_up = pct(2);
    if (k.late_heavy && i == fr.size() / 2) {
      f.shed_up = false;
      f.late = true;
      for (std::uint32_t rw = 0; rw < 64; ++rw) {
        std::array<Lane, kE> row{};
        for (unsigned l = 0; l < kE; ++l) {
          Lane& ln = row[l];
          ln.valid = ln.hit = true;
          ln.rule = rw * kE + l;
          ln.prog = rw;
          ln.bfix = 500;
        }
        f.rows.push_back(row);
      }
      continue;
    }
    const bool heavy = pct(k.heavy_pct);
    const std::uint32_t nrows = heavy ? uni(8, 40) : (pct(40) ? 0 : uni(1, 4));
    std::set<std::uint32_t> used;
    for (std::uint32_t rI = 0; rI < nrows; ++rI) {
      std::array<Lane, kE> row{};
      const std::uint32_t nl = uni(1, kE);
      for (std::uint32_t l = 0; l < nl; ++l) {
        Lane& ln = row[l];
        ln.valid = true;
        do {
          ln.rule = uni(0, 0xFFFF);
        } while (!used.insert(ln.rule).second);
        ln.hit = heavy ? pct(90) : pct(40);
        ln.decided = heavy ? pct(10) : pct(40);
        ln.prog = uni(0, 0xFFFF);
        ln.bfix = uni(5, heavy ? 80 : 40);
        ln.bpay = pct(50) ? 0 : uni(1, 3);
        ln.bx2 = pct(15);
      }
      f.rows.push_back(row);
    }
  }

  Stats st;
  QModel q;
  // the double: per verifier its job (frame, rule, result cycle, match, overrun, budget)
  struct Running {
    std::size_t frame;
    std::uint32_t rule, tag;
    std::uint64_t until;
    bool match, over;
  };
  std::array<std::optional<Running>, kNv> ver;
  // S4 of the model: the candidate input of three cycles before
  struct In {
    std::array<Lane, kE> lanes{};
    bool end = false, shed = false;
    std::size_t frame = 0;
  };
  std::deque<In> pipe;  // inputs of cycles k-3 .. k-1

  std::size_t line_i = 0, line_beat = 0;  // the line: frame and beat
  std::size_t cand_i = 0, cand_row = 0;   // the candidate stream
  std::size_t out_i = 0;                  // the next frame to leave
  std::multiset<std::uint32_t> out_rules;
  std::uint64_t base_cycle = 0;

  const auto now16 = [&] { return t16(h.cycle() - base_cycle); };

  h.reset();
  base_cycle = h.cycle();
  m.c_valid = 0;
  m.c_end = 0;
  m.b_valid = 0;
  m.l_valid = 0;
  m.r_valid = 0;

  while (out_i < fr.size()) {
    if (h.cycle() - base_cycle > 20'000'000U) {
      ADD_FAILURE() << "stalled at frame " << out_i << " (seed " << seed << ")";
      return st;
    }
    const std::uint32_t now = now16();
    // ---- outputs of this cycle: retired frames (their frees count from this cycle)
    for (unsigned l = 0; l < kE; ++l) {
      if (dejfa::test::get_field(m.o_valid, l, 1) != 0)
        out_rules.insert(dejfa::test::get_field(m.o_rule, 16 * l, 16));
    }
    if (m.o_end != 0) {
      if (out_i >= fr.size() || !fr[out_i].decided) {
        ADD_FAILURE() << "a frame left before its end was decided (seed " << seed << ")";
        return st;
      }
      Frame& f = fr[out_i];
      const std::string what = "frame " + std::to_string(out_i) + " (seed " + std::to_string(seed) +
                               ", cycle " + std::to_string(h.cycle()) + ")";
      const bool overflow = f.shed_up || f.shed || f.overran;
      std::multiset<std::uint32_t> want;
      if (!overflow) {
        for (const auto& row : f.rows)
          for (const Lane& ln : row)
            if (ln.match()) want.insert(ln.rule);
        for (const auto& [rule, res] : f.jobs) {
          EXPECT_GE(res, 0) << what << ": left with rule " << rule << "'s job not done";
          if (res == 1) want.insert(rule);
        }
      }
      EXPECT_EQ(out_rules, want) << what << ": not the rules expected";
      EXPECT_EQ(m.o_shed != 0, f.shed) << what;
      EXPECT_EQ(m.o_overrun != 0, f.overran) << what;
      EXPECT_EQ(m.o_overflow != 0, overflow) << what;
      // (a frame shed is late only when its end came after its deadline's margin: the stream
      // before the queue ran more than LAG_MAX behind the line, which the core's budget excludes)
      if (f.admitted) {
        EXPECT_TRUE(t_le(now, f.dl)) << what << ": admitted, left after its deadline";
      }
      st.late_shed += !f.admitted && !t_le(now, f.dl) ? 1U : 0U;
      EXPECT_TRUE(t_le(now, f.h)) << what << ": left after its bound H " << f.h << " (now " << now
                                  << ")";
      if (f.admitted)
        st.min_slack = std::min<std::int64_t>(st.min_slack, static_cast<std::int16_t>(f.dl - now));
      st.min_h_slack = std::min<std::int64_t>(st.min_h_slack, static_cast<std::int16_t>(f.h - now));
      if (f.admitted && f.jobs_n != 0) {
        EXPECT_TRUE(t_le(f.last_result, f.j)) << what << ": its last result after its bound J";
        st.min_j_slack =
            std::min<std::int64_t>(st.min_j_slack, static_cast<std::int16_t>(f.j - f.last_result));
      }
      if (!overflow) {
        for (const auto r : want) st.decided_out += f.jobs.count(r) == 0 ? 1U : 0U;
        st.matched_out += want.size();
      }
      // the frees of its pop
      if (f.admitted) q.rq_free += f.rows_kept;
      q.jq_free = f.jq_end;
      q.sl_free += f.has_slot ? 1U : 0U;
      out_rules.clear();
      ++out_i;
      if (::testing::Test::HasFailure()) return st;
    }

    // ---- the double: results due this cycle, then a take
    std::uint32_t r_valid = 0, r_match = 0, r_over = 0;
    std::vector<std::uint32_t> r_tag(kNv, 0);
    bool res_v[kNv] = {};
    for (unsigned v = 0; v < kNv; ++v) {
      if (ver[v] && ver[v]->until == h.cycle()) {
        const Running& j = *ver[v];
        r_valid |= 1U << v;
        r_match |= (j.match ? 1U : 0U) << v;
        r_over |= (j.over ? 1U : 0U) << v;
        r_tag[v] = j.tag;
        res_v[v] = true;
        Frame& f = fr[j.frame];
        f.jobs[j.rule] = j.match ? 1 : 0;
        f.overran = f.overran || j.over;
        f.last_result = now;
        ver[v].reset();
      }
    }
    std::uint32_t idle = 0;
    for (unsigned v = 0; v < kNv; ++v) idle |= (ver[v] ? 0U : 1U) << v;
    std::optional<unsigned> taker;
    std::uint32_t take_bud = 0;
    if (m.j_valid != 0 && idle != 0) {
      const auto fld = [&](unsigned lsb, unsigned w) {
        return dejfa::test::get_field(m.j_job, lsb, w);
      };
      const std::uint32_t base = fld(vj::BASE_LSB, 16), rule = fld(vj::RULE_LSB, 16);
      // the frame with this base among those in flight (bases are frame numbers mod 65,536)
      std::size_t fi = out_i;
      while (fi < fr.size() && fr[fi].base != base) ++fi;
      const std::string what = "job of rule " + std::to_string(rule) + " (seed " +
                               std::to_string(seed) + ", cycle " + std::to_string(h.cycle()) + ")";
      if (fi >= fr.size() || !fr[fi].admitted || fr[fi].jobs.count(rule) == 0 ||
          fr[fi].jobs[rule] != -1) {
        ADD_FAILURE() << what << ": not a job of an admitted frame waiting";
        return st;
      }
      Frame& f = fr[fi];
      const Lane* ln = nullptr;
      for (const auto& row : f.rows)
        for (const Lane& x : row)
          if (x.valid && x.rule == rule) ln = &x;
      EXPECT_EQ(fld(vj::PLEN_LSB, 16), f.plen) << what;
      EXPECT_EQ(fld(vj::POFF_LSB, 16), f.poff) << what;
      EXPECT_EQ(fld(vj::BANK_LSB, 1), f.bank) << what;
      EXPECT_EQ(fld(vj::PROG_LSB, 16), ln->prog) << what;
      take_bud = fld(vj::BUDGET_LSB, 16);
      EXPECT_EQ(take_bud, budget_of(*ln, f.plen)) << what;
      unsigned v = 0;
      while (((idle >> v) & 1U) == 0) ++v;
      taker = v;
      const bool full = k.all_full || pct(k.full_budget_pct);
      const std::uint32_t d =
          full ? take_bud : uni(2, std::max<std::uint32_t>(2, std::min(take_bud, 40U)));
      const bool over = d == take_bud && pct(40);
      ver[v] =
          Running{fi, rule, fld(vj::TAG_LSB, vj::TAG_W), h.cycle() + d, !over && pct(50), over};
      f.jobs[rule] = -2;  // taken
      ++st.jobs;
    }
    dejfa::test::put(m.v_idle, idle);
    m.j_ready = idle != 0 ? 1 : 0;
    dejfa::test::put(m.r_valid, r_valid);
    dejfa::test::put(m.r_match, r_match);
    dejfa::test::put(m.r_overrun, r_over);
    std::vector<bool> tag_bits(std::size_t{kNv} * vj::TAG_W);
    for (unsigned v = 0; v < kNv; ++v)
      for (unsigned b = 0; b < vj::TAG_W; ++b)
        tag_bits[vj::TAG_W * v + b] = ((r_tag[v] >> b) & 1U) != 0;
    dejfa::test::put_bits(m.r_tag, tag_bits);

    // ---- the line: a beat of the current frame (bounds at its first, the pulse at its last)
    m.b_valid = 0;
    m.l_valid = 0;
    if (line_i < fr.size() && line_i - out_i < kBq - 8 && !pct(k.gap_pct)) {
      Frame& f = fr[line_i];
      if (line_beat == 0) {
        m.b_valid = 1;
        dejfa::test::put(m.b_plen, f.plen);
        dejfa::test::put(m.b_poff, f.poff);
        dejfa::test::put(m.b_base, f.base);
        dejfa::test::put(m.b_bank, f.bank);
        f.b_cycle = h.cycle();
        f.b_sent = true;
      }
      if (++line_beat >= f.beats) {
        m.l_valid = 1;
        f.l_cycle = h.cycle();
        f.l_sent = true;
        f.dl = t16(now + kLag);
        line_beat = 0;
        ++line_i;
      }
    }

    // ---- the candidate stream: the next row of its frame, or its end
    In in;
    m.c_valid = 0;
    m.c_end = 0;
    m.c_shed = 0;
    if (cand_i < fr.size() && fr[cand_i].b_sent && h.cycle() > fr[cand_i].b_cycle && !pct(25)) {
      Frame& f = fr[cand_i];
      in.frame = cand_i;
      std::vector<std::uint32_t> rule(kE, 0), prog(kE, 0), bfix(kE, 0);
      std::uint32_t valid = 0, hit = 0, dec = 0, bx2 = 0;
      std::uint64_t bpay = 0;
      if (cand_row < f.rows.size()) {
        in.lanes = f.rows[cand_row];
        for (unsigned l = 0; l < kE; ++l) {
          const Lane& ln = in.lanes[l];
          valid |= (ln.valid ? 1U : 0U) << l;
          hit |= (ln.hit ? 1U : 0U) << l;
          dec |= (ln.decided ? 1U : 0U) << l;
          bx2 |= (ln.bx2 ? 1U : 0U) << l;
          rule[l] = ln.rule;
          prog[l] = ln.prog;
          bfix[l] = ln.bfix;
          bpay |= std::uint64_t{ln.bpay} << (6 * l);
          if (ln.job()) f.jobs[ln.rule] = -1;
        }
        ++cand_row;
      }
      // the end with the last row or after it, once the frame's last beat has passed
      const std::uint64_t hold = f.late && kLag > 280 ? kLag - 273 : 1;
      if (cand_row >= f.rows.size() && f.l_sent && h.cycle() >= f.l_cycle + hold && !pct(30)) {
        in.end = true;
        in.shed = f.shed_up;
        m.c_end = 1;
        m.c_shed = f.shed_up ? 1 : 0;
        ++cand_i;
        cand_row = 0;
      }
      dejfa::test::put(m.c_valid, valid);
      dejfa::test::put(m.c_hit, hit);
      dejfa::test::put(m.c_decided, dec);
      dejfa::test::put(m.c_bx2, bx2);
      const auto put16 = [](auto& port, const std::vector<std::uint32_t>& v) {
        std::vector<std::uint32_t> w((v.size() + 1) / 2, 0);
        for (std::size_t i = 0; i < v.size(); ++i) w[i / 2] |= (v[i] & 0xFFFFU) << (16 * (i % 2));
        dejfa::test::put_words(port, w);
      };
      put16(m.c_rule, rule);
      put16(m.c_prog, prog);
      put16(m.c_bfix, bfix);
      dejfa::test::put(m.c_bpay, bpay);
    }
    pipe.push_back(in);

    // ---- the model's S4 on the input of three cycles before
    if (pipe.size() > 3) {
      const In x = pipe.front();
      pipe.pop_front();
      bool hits = false, jobs = false;
      std::uint64_t lcost = 0;
      std::uint32_t lbmax = 0, lnj = 0;
      const Frame& xf = fr[x.frame];
      for (const Lane& ln : x.lanes) {
        hits = hits || ln.job() || ln.match();
        if (ln.job()) {
          jobs = true;
          const std::uint32_t b = budget_of(ln, xf.plen);
          lcost += b + kNv;
          lbmax = std::max(lbmax, b);
          ++lnj;
        }
      }
      const bool rq_ok = q.rq_wr - q.rq_free < kRq;
      const bool jq_ok = q.jq_wr - q.jq_free < kJq;
      const bool sl_ok = q.sl_wr - q.sl_free < kFn;
      const bool cap_fail = (hits && !rq_ok) || (jobs && !jq_ok) || (jobs && !q.slot_v && !sl_ok);
      const bool fail = q.fail || cap_fail;
      const bool wr_r = hits && !fail, wr_j = jobs && !fail, alloc = wr_j && !q.slot_v;
      const std::uint64_t t_cost = q.cost + (wr_j ? lcost : 0);
      const std::uint32_t t_bmax = wr_j ? std::max(q.bmax, lbmax) : q.bmax;
      const std::uint32_t t_rows = q.rows + (wr_r ? 1U : 0U);
      const std::uint32_t t_njobs = q.njobs + (wr_j ? lnj : 0U);
      const bool t_slot = q.slot_v || alloc;
      bool admit = false;
      std::uint32_t h_adm = 0, h_shed = 0;
      if (x.end) {
        Frame& f = fr[x.frame];
        const std::uint64_t work = q.held + q.reserved + t_cost;
        const std::uint64_t w_nv = (work + kNv - 1) / kNv;
        const std::uint32_t j_end = t16(now + kKj + w_nv + t_bmax);
        const std::uint32_t h_start =
            t_max(t_max(t_njobs != 0 ? t16(j_end + 1) : now, t16(now + 2)), q.hz);
        h_adm = t16(h_start + (t_rows == 0 ? 1 : t_rows));
        h_shed = t16(t_max(t16(now + 2), q.hz) + 1);
        // J + 1 + r <= the deadline in exact arithmetic (the RTL's 16-bit slack compare must
        // not wrap: a frame ending close to its deadline with about 32 K cycles of work a
        // verifier)
        const auto to_dl = static_cast<std::int64_t>(static_cast<std::int16_t>(f.dl - now));
        const std::int64_t rows_r = t_rows == 0 ? 1 : t_rows;
        const bool jobs_fit =
            t_njobs == 0 || static_cast<std::int64_t>(kKj + 1 + t_bmax + w_nv) + rows_r <= to_dl;
        admit = !fail && !x.shed && w_nv < 32768 && jobs_fit && t_le(h_adm, f.dl);
        f.decided = true;
        f.admitted = admit;
        f.shed = !admit && !x.shed;
        f.h = admit ? h_adm : h_shed;
        f.j = j_end;
        f.has_slot = admit && t_slot;
        f.rows_kept = admit ? t_rows : 0;
        f.jq_end = admit ? q.jq_wr + (wr_j ? 1U : 0U) : q.jq0;
        if (!admit) {
          // its jobs will never run
          f.jobs.clear();
        }
        f.jobs_n = f.jobs.size();
        ++st.frames;
        st.with_jobs += admit && t_njobs != 0 ? 1U : 0U;
        st.shed_up += x.shed ? 1U : 0U;
        st.shed_cap += f.shed && fail ? 1U : 0U;
        st.shed_bound += f.shed && !fail ? 1U : 0U;
      }
      // the shared state's next values (this cycle's takes and results below)
      if (x.end && !admit) {
        q.rq_wr = q.rq0;
        q.jq_wr = q.jq0;
        q.sl_wr -= q.slot_v ? 1U : 0U;
      } else {
        q.rq_wr += wr_r ? 1U : 0U;
        q.jq_wr += wr_j ? 1U : 0U;
        q.sl_wr += alloc ? 1U : 0U;
      }
      if (x.end) {
        if (admit) {
          q.rq0 = q.rq_wr;
          q.jq0 = q.jq_wr;
        }
        q.fail = false;
        q.slot_v = false;
        q.cost = 0;
        q.bmax = 0;
        q.rows = 0;
        q.njobs = 0;
      } else {
        q.fail = fail;
        q.slot_v = t_slot;
        q.cost = t_cost;
        q.bmax = t_bmax;
        q.rows = t_rows;
        q.njobs = t_njobs;
      }
      q.reserved += admit ? t_cost : 0;
      q.hz = x.end ? (admit ? h_adm : h_shed) : t_max(q.hz, now);
    } else {
      q.hz = t_max(q.hz, now);
    }
    // takes and results
    if (taker) q.reserved -= take_bud + kNv;
    q.held = 0;
    for (unsigned v = 0; v < kNv; ++v) {
      if (taker && *taker == v)
        q.cnt[v] = take_bud - 1;
      else if (res_v[v])
        q.cnt[v] = 0;
      else if (q.cnt[v] != 0)
        --q.cnt[v];
      q.held += q.cnt[v];
    }
    h.tick();
  }
  st.cycles = h.cycle() - base_cycle;
  for (const Frame& f : fr) {
    st.overran += f.overran && f.admitted ? 1U : 0U;
    if (f.late) st.late_heavy_shed = f.shed;
  }
  std::printf(
      "%s, E %u, %u verifiers, LAG_MAX %u, %u slots, %u job rows, %u rows: %zu frames (%zu with "
      "jobs admitted), %zu jobs, %zu frames shed by the bound, %zu for room, %zu upstream, %zu "
      "overran; %zu rules out (%zu decided); least slack to the deadline %lld, to H %lld, to J "
      "%lld; %zu "
      "frames shed after their deadline had passed; %llu cycles\n",
      std::string(kCfg.name).c_str(), kE, kNv, kLag, kFn, kJq, kRq, st.frames, st.with_jobs,
      st.jobs, st.shed_bound, st.shed_cap, st.shed_up, st.overran, st.matched_out, st.decided_out,
      static_cast<long long>(st.min_slack), static_cast<long long>(st.min_h_slack),
      static_cast<long long>(st.min_j_slack), st.late_shed,
      static_cast<unsigned long long>(st.cycles));
  return st;
}

TEST(VerifyQueue, FramesLeaveInOrderWithTheirMatchesAndTheModelsAdmission) {
  Knobs k;
  const Stats st = run(dejfa::sim::seed_from_env(), k);
  if (::testing::Test::HasFailure()) return;
  EXPECT_GT(st.with_jobs, 100U);
  EXPECT_GT(st.shed_up, 10U);
  EXPECT_GT(st.overran, 5U);
  EXPECT_GT(st.decided_out, 100U);
  EXPECT_GT(st.matched_out, st.decided_out + 100) << "job matches must leave too";
#ifdef DEJFA_VQ_SMALL
  EXPECT_GT(st.shed_cap, 10U) << "the small queue's rows, job rows or slots must run out";
#endif
}

// Every job holds its whole budget and heavy frames are frequent: the admission bound must shed,
// and every frame admitted must still leave by its deadline.
TEST(VerifyQueue, FullBudgetsKeepEveryDeadline) {
  Knobs k;
  k.all_full = true;
  k.heavy_pct = 15;
  k.gap_pct = 0;
  const Stats st = run(dejfa::sim::seed_from_env() + 1, k);
  if (::testing::Test::HasFailure()) return;
#ifdef DEJFA_VQ_SMALL
  EXPECT_GT(st.shed_bound, 0U) << "the bound must shed";  // (most are shed for room)
#else
  EXPECT_GT(st.shed_bound, 5U) << "the bound must shed";
#endif
  EXPECT_GT(st.with_jobs, 100U);
}

// A frame whose end comes close to its deadline with about 32,500 cycles of work a verifier (at
// 100g; at 10g and small the same frame is simply too much) must be shed: its slack is
// negative, which a 16-bit compare of the slack with ceil(W / NV) alone would let wrap.
TEST(VerifyQueue, ALateHeavyFrameIsShed) {
  Knobs k;
  k.frames = 400;
  k.late_heavy = true;
  const Stats st = run(dejfa::sim::seed_from_env() + 2, k);
  if (::testing::Test::HasFailure()) return;
  EXPECT_TRUE(st.late_heavy_shed);
}

}  // namespace
