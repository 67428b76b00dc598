// SPDX-License-Identifier: Apache-2.0
//
// bench_confirm_queue: a cycle model of dejfa_anchor_confirm's queue and dispatch (issue #25,
// docs/ARCHITECTURE.md section 7 "Packing"), to choose how a group may take a second beat. The
// line is replayed back to back at one beat a cycle (every frame of the captures, the anchors of a
// rule file keyed as the image loader keys them: afilt::tables_of over dejfa::anchors_of); each
// frame's bounds come when the parser's 128-byte window is full or the frame ends. The head beat
// leaves in groups of at most P marked lanes; a group with a 2-anchor bucket holds the pipes one
// cycle more; a beat that meets a full queue sheds its frame. Policies: no packing, and packing
// the entry after the head into the head's last group when it has at most L marked lanes, the
// head's last group leaves L pipes free, it is ready and its bounds have come (as the RTL).
//
//   bench_confirm_queue --rules [NAME=]FILE... [--snort FILE] --pcaps DIR [--queue N]
// (--snort: the 1,000 Snort-community literal rules of deliverable 2 made from that file; each
// set over the captures and over its literal flood, deliverable 3's 2,000 frames)
#include <algorithm>
#include <bit>
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

struct Beat {
  unsigned marks = 0;      // marked lanes
  std::uint8_t two = 0;    // bit g: group g of the beat has a lane with a 2-anchor bucket
  std::uint64_t twos = 0;  // bit r: the marked lane ranked r has a 2-anchor bucket
  bool first = false, last = false;
  std::uint32_t frame_beats = 0;
};

struct Result {
  std::size_t shed = 0, max_queue = 0, packed = 0;
  std::uint64_t cycles = 0;
};

// The line and the queue, as the RTL: one beat a cycle in; a beat that meets a full queue sheds
// its frame, whose last queued beat becomes its end; a frame with nothing queued is reported
// after the queue's last entry (a cycle of its own, `after`).
class Line {
 public:
  struct Entry {
    std::size_t beat, frame;
    bool last;
    unsigned after = 0;  // frames shed whole behind it
  };
  Line(const std::vector<Beat>& beats, unsigned w, std::size_t qdepth)
      : beats_(beats), w_(w), qdepth_(qdepth) {}
  std::deque<Entry> q;
  /// Takes the cycle's beat, if any is left.
  void feed(std::uint64_t cyc, Result& r) {
    if (in_ < beats_.size()) {
      const Beat& b = beats_[in_];
      if (b.first) bound_.push_back(cyc + std::min<std::uint64_t>(b.frame_beats, 128 / w_));
      if (!shedding_) {
        if (q.size() < qdepth_) {
          q.push_back(Entry{in_, bound_.size() - 1, b.last});
          queued_ = !b.last;
        } else {
          ++r.shed;
          if (queued_) {
            q.back().last = true;  // the frame's last queued beat ends it
          } else {
            ++q.back().after;
          }
          shedding_ = !b.last;
          queued_ = false;
        }
      } else if (b.last) {
        shedding_ = false;
      }
      ++in_;
    }
    r.max_queue = std::max(r.max_queue, q.size());
  }
  [[nodiscard]] bool done() const { return in_ == beats_.size() && q.empty(); }
  /// Entry i of the queue may leave: the entry after it queued (or it is its frame's last) and
  /// its frame's bounds have come.
  [[nodiscard]] bool ready(std::size_t i, std::uint64_t cyc) const {
    return (q[i].last || q.size() >= i + 2) && bound_[q[i].frame] <= cyc;
  }
  [[nodiscard]] const Beat& beat(std::size_t i) const { return beats_[q[i].beat]; }

 private:
  const std::vector<Beat>& beats_;
  unsigned w_;
  std::size_t qdepth_, in_ = 0;
  std::vector<std::uint64_t> bound_;  // per frame: the cycle its bounds come
  bool shedding_ = false, queued_ = false;
};

// pack_n: 0 = no packing; else the most marked lanes of a packed beat.
Result replay(const std::vector<Beat>& beats, unsigned w, unsigned p, unsigned pack_n,
              std::size_t qdepth) {
  Result r;
  if (p == 0 || w == 0) return r;
  Line line(beats, w, qdepth);
  auto& q = line.q;
  unsigned grp = 0, markers = 0;
  std::uint64_t cyc = 0, hold_until = 0;
  auto room = [&](const Beat& b) { return b.marks == 0 || (b.marks - 1) % p < p - pack_n; };
  while (!line.done() || markers > 0) {
    line.feed(cyc, r);
    if (cyc >= hold_until) {
      if (markers > 0) {
        --markers;
      } else if (!q.empty() && line.ready(0, cyc)) {
        const Beat& h = line.beat(0);
        const unsigned groups = h.marks == 0 ? 1 : (h.marks + p - 1) / p;
        bool hold = ((h.two >> grp) & 1U) != 0;
        if (++grp == groups) {
          grp = 0;
          const unsigned after = q.front().after;
          q.pop_front();
          markers = after;
          if (pack_n > 0 && after == 0 && !q.empty() && room(h) && line.ready(0, cyc) &&
              line.beat(0).marks <= pack_n) {
            hold = hold || line.beat(0).two != 0;
            markers = q.front().after;
            q.pop_front();
            ++r.packed;
          }
        }
        if (hold) hold_until = cyc + 2;
      }
    }
    ++cyc;
  }
  r.cycles = cyc;
  return r;
}

// Spanning groups (not built): a group takes the next P marked lanes of the queue whatever beat
// they are in, over at most two beats (so every pipe selects between two beats' windows), and a
// beat with no marked lane costs nothing beyond its place among the two. A group whose lanes have
// more 2-anchor buckets than `spares` takes a second cycle (the RTL's hold with 0); up to
// `spares` second anchors are compared by that many spare comparison units.
Result replay_span(const std::vector<Beat>& beats, unsigned w, unsigned p, std::size_t qdepth,
                   unsigned spares) {
  Result r;
  if (p == 0 || w == 0) return r;
  Line line(beats, w, qdepth);
  auto& q = line.q;
  unsigned done = 0, markers = 0;  // marked lanes of the head already taken
  std::uint64_t cyc = 0, hold_until = 0;
  while (!line.done() || markers > 0) {
    line.feed(cyc, r);
    if (cyc >= hold_until) {
      if (markers > 0) {
        --markers;
      } else {
        unsigned free = p, beats_in_group = 0;
        unsigned twos = 0;
        while (beats_in_group < 2 && !q.empty() && line.ready(0, cyc) && markers == 0) {
          const Beat& h = line.beat(0);
          const unsigned take = std::min(free, h.marks - done);
          const std::uint64_t mask =
              take == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << take) - 1) << done;
          twos += static_cast<unsigned>(std::popcount(h.twos & mask));
          free -= take;
          done += take;
          ++beats_in_group;
          if (done < h.marks) break;  // the head goes on next cycle
          done = 0;
          markers = q.front().after;
          q.pop_front();
          if (beats_in_group == 2) ++r.packed;
          if (free == 0) break;
        }
        if (twos > spares) hold_until = cyc + 2;
      }
    }
    ++cyc;
  }
  r.cycles = cyc;
  return r;
}

// The rows of one rule set over one traffic: both buses, each packing.
void table(const std::string& name, const std::vector<dejfa::Rule>& rules,
           const std::vector<std::vector<std::uint8_t>>& frames, std::size_t qdepth) {
  const auto set = dejfa::anchors_of(dejfa::RuleSet{rules});
  std::vector<dejfa::ImageAnchor> an;
  for (const auto& a : set.anchors) an.push_back(dejfa::ImageAnchor{a.bytes, a.nocase, 0, 0});
  const auto t = afilt::tables_of(an);
  for (const unsigned w : {64U, 8U}) {
    const unsigned p = w == 64 ? 16 : 4;
    std::vector<Beat> beats;
    for (const auto& f : frames) {
      const auto bs = afilt::beats_of(t, f, w);
      for (std::size_t k = 0; k < bs.size(); ++k) {
        Beat b;
        for (unsigned e = 0; e < w; ++e) {
          if (((bs[k].first >> e) & 1U) == 0) continue;
          if (t.bucket[t.rank(bs[k].hash[e])].size() == 2) {
            b.two = static_cast<std::uint8_t>(b.two | 1U << (b.marks / p));
            b.twos |= std::uint64_t{1} << b.marks;
          }
          ++b.marks;
        }
        b.first = k == 0;
        b.last = k + 1 == bs.size();
        b.frame_beats = static_cast<std::uint32_t>(bs.size());
        beats.push_back(b);
      }
    }
    std::vector<unsigned> packs{0, 1, 2, 4};
    if (p > 4) packs.push_back(p);
    for (const unsigned pack_n : packs) {
      const Result r = replay(beats, w, p, pack_n, qdepth);
      std::printf("| %s (%zu anchors), %zu frames | %u B | %u | %s | %zu | %zu | %zu | %zu |\n",
                  name.c_str(), an.size(), frames.size(), w, p,
                  pack_n == 0 ? "none" : ("the next beat, L = " + std::to_string(pack_n)).c_str(),
                  beats.size(), r.packed, r.shed, r.max_queue);
    }
    for (const unsigned spares : {0U, 1U, 2U, 4U, 64U}) {
      const Result r = replay_span(beats, w, p, qdepth, spares);
      std::printf("| %s (%zu anchors), %zu frames | %u B | %u | %s | %zu | %zu | %zu | %zu |\n",
                  name.c_str(), an.size(), frames.size(), w, p,
                  ("spanning 2 beats, " +
                   (spares == 64 ? std::string("never held") : std::to_string(spares) + " spares") +
                   " (not built)")
                      .c_str(),
                  beats.size(), r.packed, r.shed, r.max_queue);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = dejfa::bench::replay_args(argc, argv);
  if (!args || std::any_of(args->extra.begin(), args->extra.end(),
                           [](const auto& kv) { return kv.first != "--queue"; })) {
    std::fprintf(stderr,
                 "usage: bench_confirm_queue --rules [NAME=]FILE... [--snort FILE] --pcaps DIR "
                 "[--queue N]\n");
    return 64;
  }
  const std::size_t qdepth =
      args->extra.contains("--queue") ? std::stoul(args->extra.at("--queue")) : 32;
  std::printf("a queue of %zu beats; captures: %s\n\n", qdepth, args->pcaps.c_str());
  std::printf(
      "| rule set, traffic | bus | pipes P | packing (L: its most marked lanes) | beats | beats "
      "packed | frames shed | most beats queued |\n");
  std::printf("|---|---|---:|---|---:|---:|---:|---:|\n");
  for (const auto& [name, rules] : args->rule_sets) {
    table(name + ", captures", rules, args->frames, qdepth);
    table(name + ", literal flood", rules, dejfa::bench::literal_flood(rules, 2000), qdepth);
  }
  return 0;
}
