// SPDX-License-Identifier: Apache-2.0
//
// bench_seen_expand: a cycle model of step 4 of issue #25 (docs/ARCHITECTURE.md section 7, "Seen
// tags and expansion"), to size it before it is built. The confirm reports, per beat, the anchors
// it found (afilt::confirm_frame over the tables the loader makes: each anchor once a beat); the
// line is replayed back to back at one beat a cycle, a beat's anchors arriving in its cycle.
//  1. Seen tags: every found long anchor is looked up in a tag table (per anchor: the last frame
//     that found it) banked K ways by the confirm's record index (mod K; records are in hash
//     order, `afilt::confirm_tables`), a beat's anchors in record order. An anchor already found
//     in its frame is dropped; a new one goes on. Short anchors (1-3 bytes) take no lookup.
//  2. Expansion: a new anchor's rules (its range of rule ids) are handed to the header check E a
//     cycle, in order, a range spanning cycles as needed (the check of a candidate's group record
//     takes the lane whether or not the header matches, so every rule of the range counts).
// Per (K, E): the most anchors waiting for a tag lookup (and for one bank: a per-bank FIFO's
// depth; the model lets a bank's FIFO take any number of anchors a cycle, and reports the most
// it takes in one), the most rules waiting for expansion, and how long after its last beat a
// frame's last candidate is out (the lag the verifiers' admission waits for; mean, p99, max, in
// cycles). A second table per set takes the expansion behind a FIFO per bank (K = 16 / 2) with
// E = 4 / 8 (1 / 2 at 10g): from any frame; in frame order (the rules of the oldest frame not
// yet expanded only); and in frame order with what an allocator takes in a cycle, one range of
// each bank and S = 2 / 4 / 8 ranges of the short anchors (docs/ARCHITECTURE.md section 7,
// "Expansion and the header check").
//
//   bench_seen_expand --rules [NAME=]FILE... [--snort FILE] --pcaps DIR
// (--snort: the 1,000 Snort-community literal rules of deliverable 2 made from that file; each
// set over the captures and over its literal flood, deliverable 3's 2,000 frames)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "anchor_sets.hpp"
#include "dejfa/anchor.hpp"
#include "dejfa/anchor_filter.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/rules.hpp"

namespace {

namespace afilt = dejfa::afilt;

struct Arrival {
  std::uint32_t frame = 0, anchor = 0;
  std::uint32_t rec = 0;  // the confirm's record index (hash order), which the tags are banked by
  bool is_short = false;  // 1-3 bytes: dejfa_anchor_short's per-frame seen bits, no tag lookup
};

struct Result {
  std::size_t q1_max = 0, q2_max = 0;  // anchors waiting; rules waiting
  std::size_t bank_max = 0;            // anchors waiting for one bank (a per-bank FIFO's depth)
  std::size_t push_max = 0;            // anchors one bank's FIFO takes in one cycle (per bank)
  std::size_t frames_max = 0;          // distinct frames among the rules expanded in one cycle
  std::vector<std::uint64_t> lag;      // per frame: cycles from its last beat to its last rule
};

// How the tag lookups take the found anchors.
//  in order:  one FIFO; a cycle takes from its head while each goes to a bank not yet used;
//  per bank:  a FIFO per bank; each bank takes its head every cycle (a frame is complete when
//             every bank has passed its last anchor);
//  CAM:       before either, a CAM of R entries beside the confirm's result slots: an anchor in
//             it is a repeat and is dropped at once. "first": the frame's first R distinct
//             anchors; "recent": the last R distinct anchors to enter it (each arrival not in it
//             replaces the oldest entry; a hit does not move an entry). Arrivals are taken one
//             at a time, so a slot may evict an entry a later slot of its beat would have hit (a
//             parallel compare would not: the model is the pessimistic one).
enum class Policy { in_order, per_bank };
enum class Cam { none, first, recent };

// beats[c]: the anchors of the beat arriving in cycle c; frame_end[f]: the cycle of frame f's
// last beat; range[a]: the rules of anchor a.
Result replay(const std::vector<std::vector<Arrival>>& beats,
              const std::vector<std::uint64_t>& frame_end, const std::vector<std::uint32_t>& range,
              unsigned k, unsigned e, Policy pol, Cam cam_kind, unsigned cam_n,
              bool frame_order = false, unsigned short_ranges = 0) {
  Result r;
  // Frame order: the expansion takes only rules of the oldest frame not yet expanded (cf): one
  // whose last beat has come, whose lookups are all done and whose rules have all left moves it
  // on. pend_lk / pend_rules: per frame, lookups and rules still to come.
  std::vector<std::uint32_t> pend_lk(frame_end.size(), 0), pend_rules(frame_end.size(), 0);
  std::size_t cf = 0;
  std::vector<std::deque<Arrival>> q1(pol == Policy::per_bank ? k : 1);
  struct Span {
    std::uint32_t frame, left;
    std::uint32_t source;  // the tag bank that found its anchor (k: a short anchor)
  };
  std::deque<Span> q2;
  std::size_t q2_rules = 0;
  std::vector<std::uint32_t> tag(range.size(), UINT32_MAX);  // the last frame that found it
  std::vector<std::uint64_t> done(frame_end.size(), 0);      // the cycle its last rule left
  std::vector<std::uint8_t> used(k);
  std::vector<std::uint32_t> cam;  // the current frame's anchors in the CAM, oldest first
  std::uint32_t cam_frame = UINT32_MAX;
  // An anchor new in its frame goes to the expansion; a repeat is dropped.
  const auto dedupe = [&](const Arrival& a) {
    if (tag[a.anchor] == a.frame) return;
    tag[a.anchor] = a.frame;
    q2.push_back(Span{a.frame, range[a.anchor], a.is_short ? k : a.rec % k});
    q2_rules += range[a.anchor];
    pend_rules[a.frame] += range[a.anchor];
  };
  const auto lookup = [&](const Arrival& a, std::uint64_t c) {
    done[a.frame] = std::max(done[a.frame], c);
    --pend_lk[a.frame];
    dedupe(a);
  };
  const auto waiting = [&] {
    std::size_t n = 0;
    for (const auto& q : q1) n += q.size();
    return n;
  };
  for (std::uint64_t c = 0; c < beats.size() || waiting() != 0 || !q2.empty(); ++c) {
    if (c < beats.size()) {
      for (const auto& a : beats[c]) {
        if (a.is_short) {  // deduplicated by the short anchors' own seen bits, at no cost here
          dedupe(a);
          continue;
        }
        if (cam_kind != Cam::none) {
          // A slot's comparison with the CAM and the insertion are one cycle's work in the RTL.
          if (cam_frame != a.frame) cam.clear(), cam_frame = a.frame;
          if (std::find(cam.begin(), cam.end(), a.anchor) != cam.end()) continue;
          if (cam.size() < cam_n) {
            cam.push_back(a.anchor);
          } else if (cam_kind == Cam::recent) {
            cam.erase(cam.begin());
            cam.push_back(a.anchor);
          }
        }
        q1[pol == Policy::per_bank ? a.rec % k : 0].push_back(a);
        ++pend_lk[a.frame];
      }
      if (pol == Policy::per_bank) {
        std::vector<std::size_t> pushed(k, 0);
        for (const auto& a : beats[c]) {
          if (!a.is_short) r.push_max = std::max(r.push_max, ++pushed[a.rec % k]);
        }
      }
    }
    r.q1_max = std::max(r.q1_max, waiting());
    if (pol == Policy::per_bank) {
      for (auto& q : q1) {
        r.bank_max = std::max(r.bank_max, q.size());
        if (q.empty()) continue;
        lookup(q.front(), c);
        q.pop_front();
      }
    } else {
      r.bank_max = r.q1_max;
      std::fill(used.begin(), used.end(), 0);
      auto& q = q1[0];
      for (unsigned n = 0; n < k && !q.empty(); ++n) {
        const Arrival a = q.front();
        if (used[a.rec % k] != 0) break;  // in order: the head waits for its bank
        used[a.rec % k] = 1;
        q.pop_front();
        lookup(a, c);
      }
    }
    r.q2_max = std::max(r.q2_max, q2_rules);
    while (cf < frame_end.size() && c >= frame_end[cf] && pend_lk[cf] == 0 && pend_rules[cf] == 0) {
      ++cf;
    }
    std::vector<std::uint32_t> taken;  // the frames of this cycle's rules
    std::vector<std::uint8_t> source_used(k + 1, 0);
    unsigned left = e;
    for (auto it = q2.begin(); left > 0 && it != q2.end();) {
      // short_ranges > 0: a cycle takes at most one range of each bank, and short_ranges of
      // the short anchors (any number of their rules up to E in all).
      if ((frame_order && it->frame != cf) ||
          (short_ranges != 0 && source_used[it->source] >= (it->source == k ? short_ranges : 1))) {
        ++it;
        continue;
      }
      ++source_used[it->source];
      const std::uint32_t t = std::min(left, it->left);
      it->left -= t;
      left -= t;
      q2_rules -= t;
      pend_rules[it->frame] -= t;
      taken.push_back(it->frame);
      if (it->left == 0) {
        done[it->frame] = std::max(done[it->frame], c);
        it = q2.erase(it);
      } else if (!frame_order) {
        break;  // in order: the head span goes on next cycle
      } else {
        ++it;
      }
    }
    std::sort(taken.begin(), taken.end());
    r.frames_max =
        std::max(r.frames_max,
                 static_cast<std::size_t>(std::unique(taken.begin(), taken.end()) - taken.begin()));
  }
  for (std::size_t f = 0; f < frame_end.size(); ++f) {
    r.lag.push_back(done[f] > frame_end[f] ? done[f] - frame_end[f] : 0);
  }
  return r;
}

// "mean / p99 / max" of the frames' lags, in cycles.
std::string lag_cell(std::vector<std::uint64_t> lag) {
  std::sort(lag.begin(), lag.end());
  double sum = 0;
  for (const auto x : lag) sum += static_cast<double>(x);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.2f / %llu / %llu",
                lag.empty() ? 0.0 : sum / static_cast<double>(lag.size()),
                static_cast<unsigned long long>(lag.empty() ? 0 : lag[(lag.size() - 1) * 99 / 100]),
                static_cast<unsigned long long>(lag.empty() ? 0 : lag.back()));
  return buf;
}

void table(const std::string& name, const std::vector<dejfa::Rule>& rules,
           const std::vector<std::vector<std::uint8_t>>& frames) {
  const auto set = dejfa::anchors_of(dejfa::RuleSet{rules});
  std::vector<dejfa::ImageAnchor> an;
  std::vector<std::uint32_t> range;
  std::size_t range_max = 0;
  for (std::size_t i = 0; i < set.anchors.size(); ++i) {
    an.push_back(dejfa::ImageAnchor{set.anchors[i].bytes, set.anchors[i].nocase, 0, 0});
    range.push_back(static_cast<std::uint32_t>(set.rules[i].size()));
    range_max = std::max(range_max, set.rules[i].size());
  }
  const auto t = afilt::tables_of(an);
  // The confirm reports a long anchor by its record (records in hash order): the tags are banked
  // by record index, and a beat's anchors come in that order (its result slots' rank order).
  const auto ct = afilt::confirm_tables(t, an, static_cast<std::uint32_t>(an.size()));
  std::vector<std::uint32_t> rec_of(an.size(), 0);
  for (std::uint32_t r = 0; r < ct.rec.size(); ++r) rec_of[ct.rec[r].id] = r;
  for (const unsigned w : {64U, 8U}) {
    std::vector<std::vector<Arrival>> beats;
    std::vector<std::uint64_t> frame_end;
    std::size_t found = 0, found_short = 0, distinct = 0, distinct_long = 0, found_beat_max = 0,
                distinct_frame_max = 0;
    for (std::size_t f = 0; f < frames.size(); ++f) {
      const auto& fr = frames[f];
      const auto nb = std::max<std::size_t>(1, (fr.size() + w - 1) / w);
      const std::size_t base = beats.size();
      beats.resize(base + nb);
      // The whole frame as payload: the bounds model of the confirm's own tests would cut the
      // headers; here every byte may hold an anchor (an upper bound on the work).
      const auto hits =
          afilt::confirm_frame(t, an, fr, w, 0, static_cast<std::uint32_t>(fr.size()));
      std::vector<std::uint32_t> ids;
      for (const auto& h : hits) {
        beats[base + h.beat].push_back(Arrival{static_cast<std::uint32_t>(f), h.anchor,
                                               rec_of[h.anchor], an[h.anchor].bytes.size() < 4});
        ids.push_back(h.anchor);
        found_short += an[h.anchor].bytes.size() < 4 ? 1U : 0U;
      }
      for (std::size_t b = base; b < beats.size(); ++b) {
        std::stable_sort(beats[b].begin(), beats[b].end(),
                         [](const Arrival& x, const Arrival& y) { return x.rec < y.rec; });
        found_beat_max = std::max(found_beat_max, beats[b].size());
      }
      std::sort(ids.begin(), ids.end());
      const auto d = static_cast<std::size_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
      for (std::size_t i = 0; i < d; ++i) distinct_long += an[ids[i]].bytes.size() >= 4 ? 1U : 0U;
      found += hits.size();
      distinct += d;
      distinct_frame_max = std::max(distinct_frame_max, d);
      frame_end.push_back(beats.size() - 1);
    }
    std::printf(
        "\n%s, %u-byte bus: %zu anchors (largest range %zu rules), %zu frames, %zu beats; "
        "found %zu (%zu of them 1-3-byte anchors; at most %zu in a beat), %zu new in their frame "
        "(%zu of them long; at most %zu in a frame)\n\n",
        name.c_str(), w, an.size(), range_max, frames.size(), beats.size(), found, found_short,
        found_beat_max, distinct, distinct_long, distinct_frame_max);
    std::printf(
        "| lookups | tag banks K | rules a cycle E | most anchors waiting (in one bank) | most "
        "anchors into one bank in a cycle | most rules waiting | frame lag after its last beat: "
        "mean / p99 / max cycles |\n"
        "|---|---:|---:|---:|---:|---:|---|\n");
    const std::vector<unsigned> ks =
        w == 64 ? std::vector<unsigned>{8, 16, 32} : std::vector<unsigned>{1, 2, 4};
    const unsigned e = w == 64 ? 8 : 2;
    struct Row {
      Policy pol;
      Cam cam;
      unsigned cam_n;
      const char* name;
    };
    for (const Row& row : {Row{Policy::in_order, Cam::none, 0, "in order"},
                           Row{Policy::per_bank, Cam::none, 0, "a FIFO per bank"},
                           Row{Policy::in_order, Cam::first, 32, "in order, first-32 CAM"},
                           Row{Policy::in_order, Cam::recent, 16, "in order, recent-16 CAM"},
                           Row{Policy::in_order, Cam::recent, 32, "in order, recent-32 CAM"},
                           Row{Policy::per_bank, Cam::first, 32, "per bank, first-32 CAM"},
                           Row{Policy::per_bank, Cam::recent, 16, "per bank, recent-16 CAM"},
                           Row{Policy::per_bank, Cam::recent, 32, "per bank, recent-32 CAM"}}) {
      for (const unsigned k : ks) {
        const Result r = replay(beats, frame_end, range, k, e, row.pol, row.cam, row.cam_n);
        std::printf("| %s | %u | %u | %zu (%zu) | %s | %zu | %s |\n", row.name, k, e, r.q1_max,
                    r.bank_max,
                    row.pol == Policy::per_bank ? std::to_string(r.push_max).c_str() : "-",
                    r.q2_max, lag_cell(r.lag).c_str());
      }
    }
    // The expansion behind a FIFO per bank (K = 16 / 2): E rules a cycle, from any frame (in
    // the order lookups finish) or in frame order (one frame's rules at a time, so one frame
    // descriptor a cycle serves the header check).
    std::printf(
        "\n| expansion (a FIFO per bank, K = %u) | rules a cycle E | most rules waiting | most "
        "frames among one cycle's rules | frame lag after its last beat: mean / p99 / max "
        "cycles |\n|---|---:|---:|---:|---|\n",
        w == 64 ? 16U : 2U);
    // any frame; frame order; frame order with a range a bank and 2 / 4 / 8 of the short
    for (const int mode : {0, 1, 2, 4, 8}) {
      const bool fo = mode != 0;
      for (const unsigned ee :
           w == 64 ? std::vector<unsigned>{4, 8} : std::vector<unsigned>{1, 2}) {
        const Result r = replay(beats, frame_end, range, w == 64 ? 16 : 2, ee, Policy::per_bank,
                                Cam::none, 0, fo, mode >= 2 ? static_cast<unsigned>(mode) : 0U);
        const std::string how = mode == 0 ? "any frame"
                                : mode == 1
                                    ? "in frame order"
                                    : "in frame order, a range a bank and " + std::to_string(mode) +
                                          " of the short anchors a cycle";
        std::printf("| %s | %u | %zu | %zu | %s |\n", how.c_str(), ee, r.q2_max, r.frames_max,
                    lag_cell(r.lag).c_str());
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = dejfa::bench::replay_args(argc, argv);
  if (!args || !args->extra.empty()) {
    std::fprintf(stderr,
                 "usage: bench_seen_expand --rules [NAME=]FILE... [--snort FILE] --pcaps DIR\n");
    return 64;
  }
  for (const auto& [name, rules] : args->rule_sets) {
    table(name + ", captures", rules, args->frames);
    table(name + ", literal flood", rules, dejfa::bench::literal_flood(rules, 2000));
  }
  return 0;
}
