// SPDX-License-Identifier: Apache-2.0
//
// Design model for filter-then-verify content inspection (issue #25, docs/ARCHITECTURE.md
// section 7). Not a benchmark of dejfa as built: it measures rule sets and captures to settle
// the anchor choice and the number of verifiers before any RTL is written.
//
//   bench_design_anchors --pcaps DIR [--rules NAME=FILE ...] [--snort FILE] [--flood]
//
// Each rule with a positive content gets one anchor under each policy below. The model finds
// every exact occurrence of every anchor in every frame's payload (nocase anchors fold ASCII),
// expands each to its rule range, keeps the (frame, rule) pairs whose header group matches the
// frame (dejfa::hdr group records) and counts, per frame and in total:
//  - anchor occurrences (what the exact confirm must keep up with; per beat, anchors of 4 or
//    more bytes only: shorter ones are few and take a per-frame seen vector);
//  - verify jobs: distinct (frame, rule) pairs that need a verifier (more than the anchor);
//  - decided: rules the confirm alone decides (one positive content, at most 8 bytes, the
//    anchor itself; offset/depth are checked at the confirm);
//  - verifier cycles: per job 1 + ceil(payload / 64) per content (a 64-byte window a cycle, the
//    version-1 engines' datapath), and the ratio to the beats a 100g line brings (frame bytes
//    / 64 rounded up): the number of verifiers needed to keep up on average.
// Policies:
//  v2      today's fast key: the first min(4, length) bytes of the longest positive content;
//  rare4   the rarest 4-byte window of any positive content (the `fast_pattern` content when
//          one is named); contents shorter than 4 bytes are their own anchor;
//  rare8   as rare4 with windows of up to 8 bytes.
// "Rarest" scores a window by the sum of log frequencies of its bytes in traffic the project
// generates (`dejfa gen`, 200,000 frames), not in the captures the model is judged on.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "anchor_sets.hpp"
#include "dejfa/anchor.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/strutil.hpp"
#include "dejfa/trafficgen.hpp"
#include "dist.hpp"

namespace {

using dejfa::ascii_lower;
using dejfa::Packet;
using dejfa::Rule;
namespace hdr = dejfa::hdr;

struct Frame {
  std::vector<std::uint8_t> bytes;
  Packet p;
};

struct Anchor {
  std::vector<std::uint8_t> bytes;  // folded when nocase
  bool nocase = false;
  std::vector<std::uint32_t> rules;
};

using dejfa::bench::Dist;

// Byte log-frequencies of generated traffic (payload bytes, ASCII folded, add-one smoothed): the
// compiler's own table (host/image/src/anchor_freq.inc, 200,000 frames of dejfa gen, seed 9, as
// this model computed it before the compiler shipped it).
const std::array<double, 256>& byte_logfreq() { return dejfa::anchor_byte_logfreq(); }

enum class Policy { V2, Rare4, Rare8 };
const char* policy_name(Policy p) {
  return p == Policy::V2      ? "v2 (first 4 bytes of the longest)"
         : p == Policy::Rare4 ? "rare4"
                              : "rare8";
}

// The anchor of a rule: bytes (folded when nocase) and nocase; empty when it has none.
Anchor anchor_of(const Rule& r, Policy pol, const std::array<double, 256>& lf) {
  Anchor a;
  const dejfa::Content* best = nullptr;
  if (pol == Policy::V2) {
    for (const auto& c : r.contents) {
      if (!c.negated && (best == nullptr || c.bytes.size() > best->bytes.size())) best = &c;
    }
    if (best == nullptr) return a;
    a.nocase = true;  // v2 folds every key
    for (std::size_t i = 0; i < std::min<std::size_t>(4, best->bytes.size()); ++i) {
      a.bytes.push_back(ascii_lower(best->bytes[i]));
    }
    return a;
  }
  const std::size_t wmax = pol == Policy::Rare4 ? 4 : 8;
  bool named = false;
  for (const auto& c : r.contents) named = named || (c.fast_pattern && !c.negated);
  double best_score = 1e300;
  std::size_t best_off = 0, best_len = 0;
  for (const auto& c : r.contents) {
    if (c.negated || (named && !c.fast_pattern)) continue;
    const std::size_t w = std::min(wmax, c.bytes.size());
    for (std::size_t off = 0; off + w <= c.bytes.size(); ++off) {
      double s = 0;
      for (std::size_t k = 0; k < w; ++k) s += lf[ascii_lower(c.bytes[off + k])];
      // Longer anchors are rarer; compare windows of different contents by their score.
      if (s < best_score) best_score = s, best = &c, best_off = off, best_len = w;
    }
  }
  if (best == nullptr) return a;
  a.nocase = best->nocase;
  for (std::size_t k = 0; k < best_len; ++k) {
    const std::uint8_t b = best->bytes[best_off + k];
    a.bytes.push_back(a.nocase ? ascii_lower(b) : b);
  }
  return a;
}

bool decided_by_confirm(const Rule& r) {
  if (r.contents.size() != 1) return false;
  const auto& c = r.contents[0];
  return !c.negated && c.bytes.size() <= 8 && !c.distance && !c.within;
}

// Verifier cycles of a job. A rule with one content (positive) is checked where its anchor was
// found: a compare of up to 64 bytes a cycle at each occurrence. Otherwise the version-1 engine
// walk: one cycle to start, then every content searched over the payload, 64 byte positions a
// cycle (an upper bound: a search stops at its first match).
// A single-content rule's verifier takes the cheaper of the two: compares at the occurrences,
// or one scan.
double job_cycles(const Rule& r, std::uint32_t occurrences, std::uint32_t payload_len) {
  const double scan = 1 + static_cast<double>(r.contents.size()) *
                              std::ceil(static_cast<double>(payload_len) / 64.0);
  if (r.contents.size() == 1) {
    return std::min(scan, std::max<std::uint32_t>(occurrences, 1) *
                              std::ceil(static_cast<double>(r.contents[0].bytes.size()) / 64.0));
  }
  return scan;
}

struct Result {
  std::size_t anchors = 0, max_rules = 0, short_anchors = 0, no_anchor = 0;
  Dist occ, distinct, jobs_all, jobs_hdr, decided, cycles;
  double total_cycles = 0, total_beats = 0, total_occ = 0;
  std::array<std::size_t, 3> shed{};  // frames shed with 1, 2, 4 verifiers
  std::uint32_t beat_max = 0;         // anchor occurrences starting in one 64-byte beat
  std::size_t occ_beats = 0, beats_over_8 = 0;
};

// Frames back to back at one beat a cycle; V verifiers drain V cycles of work a beat; a frame
// whose work would take the backlog past what the packet buffer covers (2,048 beats of waiting,
// so V x 2,048 cycles) is shed at admission (its work never enters).
constexpr std::array<double, 3> kVerifiers = {1, 2, 4};

// The distinct anchors of a rule set (rules sharing bytes and nocase share one); `no_anchor`
// counts the rules with a positive content but no anchor.
std::vector<Anchor> anchors_of(const std::vector<Rule>& rules, Policy pol,
                               const std::array<double, 256>& lf, std::size_t& no_anchor) {
  std::map<std::string, std::uint32_t> ids;  // anchor bytes and nocase
  std::vector<Anchor> anchors;
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    if (!rules[i].has_positive_content()) continue;
    Anchor a = anchor_of(rules[i], pol, lf);
    if (a.bytes.empty()) {
      ++no_anchor;
      continue;
    }
    std::string k(a.bytes.begin(), a.bytes.end());
    k += a.nocase ? '\1' : '\0';
    auto [it, fresh] = ids.emplace(k, static_cast<std::uint32_t>(anchors.size()));
    if (fresh) anchors.push_back(a);
    anchors[it->second].rules.push_back(i);
  }
  return anchors;
}

std::uint32_t key4(const std::uint8_t* b) {
  return std::uint32_t{ascii_lower(b[0])} | (std::uint32_t{ascii_lower(b[1])} << 8) |
         (std::uint32_t{ascii_lower(b[2])} << 16) | (std::uint32_t{ascii_lower(b[3])} << 24);
}

// The filter in front of the confirm, for anchors of 4 or more bytes: one bit per hash of a
// window's first 4 folded bytes, 2^B bits (a copy per byte position of the beat in hardware),
// the hash an XOR fold of the 32 key bits into B (a few LUTs per position). A position whose bit
// is set goes to the confirm, which compares the anchors of that hash exactly; positions of one
// beat with equal windows are one confirm (per-beat dedupe).
struct FilterResult {
  unsigned bits = 0;
  bool rarest = false, h3 = false;
  Dist pass, distinct;  // per 64-byte beat of payload: positions passing; their distinct windows
  double passed = 0, false_pos = 0;
  std::size_t beats = 0, over4 = 0, over8 = 0;
};

// XOR fold of the 32 key bits into B (the cheapest hash; collides on structured bytes).
std::uint32_t fold_hash(std::uint32_t x, unsigned bits) {
  std::uint32_t h = 0;
  for (unsigned at = 0; at < 32; at += bits) h ^= x >> at;
  return h & ((1U << bits) - 1);
}

// H3 (Carter-Wegman): output bit i is the parity of the key ANDed with a fixed random mask,
// an XOR of about 16 key bits (3 LUT levels) per output bit and byte position in hardware. The
// masks are the hardware's (hw/dejfa_regs.toml `h3_masks`, the first `bits` of them).
std::uint32_t h3(std::uint32_t x, unsigned bits) {
  std::uint32_t h = 0;
  for (unsigned i = 0; i < bits && i < dejfa::hw::kAnchorHashW; ++i) {
    h |= static_cast<std::uint32_t>(std::popcount(x & dejfa::hw::kH3Masks[i]) & 1) << i;
  }
  return h;
}

// The 4-byte window of an anchor the filter looks for: its first, or its rarest (lowest sum of
// byte log-frequencies, as the anchor itself was chosen).
std::size_t filter_off(const Anchor& a, bool rarest, const std::array<double, 256>& lf) {
  if (!rarest) return 0;
  std::size_t best = 0;
  double score = 1e300;
  for (std::size_t o = 0; o + 4 <= a.bytes.size(); ++o) {
    double sc = 0;
    for (std::size_t i = 0; i < 4; ++i) sc += lf[ascii_lower(a.bytes[o + i])];
    if (sc < score) score = sc, best = o;
  }
  return best;
}

std::vector<FilterResult> filter_model(const std::vector<Anchor>& anchors,
                                       const std::vector<Frame>& frames,
                                       const std::array<double, 256>& lf) {
  std::vector<FilterResult> out;
  // (key, hash): first 4 bytes with the XOR fold, then with H3, then the rarest 4 with H3.
  for (const auto& [rarest, use_h3] :
       {std::pair{false, false}, std::pair{false, true}, std::pair{true, true}}) {
    const auto hash = [use = use_h3](std::uint32_t k, unsigned b) {
      return use ? h3(k, b) : fold_hash(k, b);
    };
    std::set<std::uint32_t> keys;
    for (const auto& a : anchors) {
      if (a.bytes.size() >= 4) keys.insert(key4(a.bytes.data() + filter_off(a, rarest, lf)));
    }
    for (const unsigned bits : {14U, 16U}) {
      FilterResult fr;
      fr.bits = bits;
      fr.rarest = rarest;
      fr.h3 = use_h3;
      std::vector<bool> table(std::size_t{1} << bits);
      for (const auto k : keys) table[hash(k, bits)] = true;
      for (const auto& f : frames) {
        const Packet& p = f.p;
        if (!p.payload_valid || p.payload_len < 4) continue;
        const std::uint32_t first = p.payload_off, end = p.payload_off + p.payload_len;
        for (std::uint32_t beat = first / 64; beat * 64 < end - 3; ++beat) {
          std::set<std::uint32_t> windows;
          std::uint32_t pass = 0;
          for (std::uint32_t at = std::max(first, beat * 64); at < (beat + 1) * 64 && at + 4 <= end;
               ++at) {
            const std::uint32_t k = key4(f.bytes.data() + at);
            if (!table[hash(k, bits)]) continue;
            ++pass;
            windows.insert(k);
            fr.false_pos += keys.count(k) == 0 ? 1 : 0;
          }
          fr.passed += pass;
          fr.pass.add(pass);
          fr.distinct.add(static_cast<double>(windows.size()));
          ++fr.beats;
          fr.over4 += windows.size() > 4 ? 1U : 0U;
          fr.over8 += windows.size() > 8 ? 1U : 0U;
        }
      }
      out.push_back(std::move(fr));
    }
  }
  return out;
}

// The confirm behind the chosen filter (H3, 2^16 bits), per beat of W bytes: passing positions
// are deduplicated by hash (one confirm per distinct hash of a beat, exact because a confirm
// compares each anchor of its hash bucket at every position of the beat, not only where the hash
// was seen); each comparison of one anchor over the beat is one lane cycle, L lanes drain them
// and the backlog is what waits. With `frame_dedupe`, a hash whose bucket's anchors have all been
// found earlier in the frame is not confirmed again (nothing is left to learn from it). Short
// anchors (1-3 bytes) bypass the filter: counted per beat as the positions and the distinct
// anchors found.
struct ConfirmResult {
  std::size_t bucket_max = 0, beats = 0, shorts = 0;
  Dist hashes, ops, short_pos, short_distinct, seen;  // seen: distinct anchors found per frame
  std::array<double, 4> backlog_max{};                // per lane count of `lanes`
  std::array<std::size_t, 4> beats_waiting{};
};

// The filter key of each anchor of 4+ bytes (its offset in the anchor): its rarest 4 bytes, or
// (`cap` > 0) its rarest window whose hash holds fewer than `cap` anchors (the least loaded when
// every window's is full). Anchors sharing a hash are all compared whenever one of their keys
// passes, so what one frame can cost is the largest bucket: on ET Open the anchors
// "..|04|info|00|" of 27 rules (DNS queries for .info names) share their rarest 4 bytes.
std::vector<std::size_t> filter_keys(const std::vector<Anchor>& anchors,
                                     const std::array<double, 256>& lf, std::size_t cap) {
  std::map<std::uint32_t, std::size_t> n;  // hash -> anchors
  std::vector<std::size_t> off(anchors.size(), 0);
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    const Anchor& a = anchors[i];
    if (a.bytes.size() < 4) continue;
    std::size_t best = filter_off(a, true, lf);
    if (cap > 0) {
      std::pair<std::size_t, double> cost{~std::size_t{0}, 0};  // (load over cap, score)
      for (std::size_t o = 0; o + 4 <= a.bytes.size(); ++o) {
        const std::uint32_t h = h3(key4(a.bytes.data() + o), 16);
        double sc = 0;
        for (std::size_t k = 0; k < 4; ++k) sc += lf[ascii_lower(a.bytes[o + k])];
        const std::pair<std::size_t, double> c{n[h] < cap ? 0 : n[h], sc};
        if (c < cost) cost = c, best = o;
      }
    }
    off[i] = best;
    ++n[h3(key4(a.bytes.data() + best), 16)];
  }
  return off;
}

bool anchor_at(const Anchor& a, const std::uint8_t* b) {
  for (std::size_t k = 0; k < a.bytes.size(); ++k) {
    if ((a.nocase ? ascii_lower(b[k]) : b[k]) != a.bytes[k]) return false;
  }
  return true;
}

ConfirmResult confirm_model(const std::vector<Anchor>& anchors, const std::vector<Frame>& frames,
                            const std::array<double, 256>& lf, unsigned w, std::size_t cap,
                            bool frame_dedupe, const std::array<unsigned, 4>& lanes,
                            bool partitioned = false, unsigned window = 0) {
  ConfirmResult cr;
  // Partitioned: lane l of L owns the hashes h with h mod L = l (its own slice of the tables),
  // and takes one comparison a cycle from its own queue.
  std::array<std::vector<double>, 4> part_backlog;
  for (std::size_t l = 0; l < lanes.size(); ++l) part_backlog[l].assign(lanes[l], 0.0);
  const auto off = filter_keys(anchors, lf, cap);
  std::map<std::uint32_t, std::vector<std::uint32_t>> bucket;  // hash -> anchors of 4+ bytes
  std::vector<std::uint32_t> shorts;
  for (std::uint32_t i = 0; i < anchors.size(); ++i) {
    if (anchors[i].bytes.size() < 4) {
      shorts.push_back(i);
      continue;
    }
    auto& v = bucket[h3(key4(anchors[i].bytes.data() + off[i]), 16)];
    v.push_back(i);
    cr.bucket_max = std::max(cr.bucket_max, v.size());
  }
  cr.shorts = shorts.size();
  std::array<double, 4> backlog{};
  for (const auto& f : frames) {
    const Packet& p = f.p;
    const auto nbeats = static_cast<std::uint32_t>((f.bytes.size() + w - 1) / w);
    const std::uint32_t first = p.payload_valid ? p.payload_off : 0;
    const std::uint32_t end = p.payload_valid ? p.payload_off + p.payload_len : 0;
    std::set<std::uint32_t> seen;  // anchors found in this frame
    for (std::uint32_t beat = 0; beat < nbeats; ++beat) {
      // The lanes marked for a confirm: passing, and (window 0) no earlier lane of the beat or
      // (window K) none of the K lanes before it passed with the same hash.
      std::vector<std::uint32_t> hashes;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> passed;  // (lane, hash)
      std::set<std::uint32_t> sh;
      std::size_t spos = 0;
      // Keys ending in this beat (the previous beat's last 3 bytes carried).
      for (std::uint32_t e = beat * w; e < (beat + 1) * w && e < end; ++e) {
        if (e >= first + 3) {
          const std::uint32_t h = h3(key4(f.bytes.data() + e - 3), 16);
          if (bucket.contains(h)) {
            const bool dup = std::any_of(passed.begin(), passed.end(), [&](const auto& x) {
              return x.second == h && (window == 0 || e - x.first <= window);
            });
            if (!dup) hashes.push_back(h);
            passed.emplace_back(e, h);
          }
        }
        bool any = false;
        for (const auto i : shorts) {
          const std::size_t n = anchors[i].bytes.size();
          if (e + 1 < first + n || !anchor_at(anchors[i], f.bytes.data() + e + 1 - n)) continue;
          any = true;
          sh.insert(i);
          seen.insert(i);
        }
        spos += any ? 1U : 0U;
      }
      std::size_t ops = 0;
      std::vector<std::pair<std::uint32_t, std::size_t>> ops_of;  // hash -> comparisons
      for (const auto h : hashes) {
        const auto& v = bucket[h];
        if (frame_dedupe &&
            std::all_of(v.begin(), v.end(), [&](std::uint32_t i) { return seen.contains(i); })) {
          continue;
        }
        ops += v.size();
        ops_of.emplace_back(h, v.size());
        // The confirm: each anchor of the bucket wherever its key ends in this beat.
        for (const auto i : v) {
          const Anchor& a = anchors[i];
          for (std::uint32_t e = beat * w; e < (beat + 1) * w && e < end; ++e) {
            const std::uint32_t ke = static_cast<std::uint32_t>(off[i]) + 3;  // key end in a
            if (e < first + ke || e - ke + a.bytes.size() > end) continue;
            if (anchor_at(a, f.bytes.data() + e - ke)) {
              seen.insert(i);
              break;
            }
          }
        }
      }
      ++cr.beats;
      cr.hashes.add(static_cast<double>(hashes.size()));
      cr.ops.add(static_cast<double>(ops));
      cr.short_pos.add(static_cast<double>(spos));
      cr.short_distinct.add(static_cast<double>(sh.size()));
      for (std::size_t l = 0; l < lanes.size(); ++l) {
        if (partitioned) {
          auto& pb = part_backlog[l];
          for (const auto& [h, n] : ops_of) pb[h % lanes[l]] += static_cast<double>(n);
          double most = 0;
          for (auto& x : pb) x = std::max(0.0, x - 1), most = std::max(most, x);
          cr.backlog_max[l] = std::max(cr.backlog_max[l], most);
          cr.beats_waiting[l] += most > 0 ? 1U : 0U;
          continue;
        }
        backlog[l] = std::max(0.0, backlog[l] + static_cast<double>(ops) - lanes[l]);
        cr.backlog_max[l] = std::max(cr.backlog_max[l], backlog[l]);
        cr.beats_waiting[l] += backlog[l] > 0 ? 1U : 0U;
      }
    }
    cr.seen.add(static_cast<double>(seen.size()));
  }
  return cr;
}

std::vector<Frame> literal_flood(const std::vector<Rule>& rules, std::size_t n) {
  std::vector<Frame> out;
  for (auto& bytes : dejfa::bench::literal_flood(rules, n)) {
    Frame f;
    f.bytes = std::move(bytes);
    f.p = dejfa::decode(f.bytes);
    out.push_back(std::move(f));
  }
  return out;
}

void print_confirm(const std::vector<Anchor>& anchors, const std::vector<Rule>& rules,
                   const std::vector<Frame>& frames, const std::array<double, 256>& lf) {
  std::printf(
      "\nConfirm behind that filter (H3, 2^16; every beat of every frame back to back; a confirm "
      "compares each anchor of a passing hash's bucket over the whole beat, so positions are "
      "deduplicated by hash; a lane does one such comparison a cycle):\n\n"
      "| frames | bus, filter key | confirms skipped | most anchors on one hash | distinct passing "
      "hashes per beat (mean / p99 / max) | comparisons per beat | lanes | most comparisons "
      "waiting | beats with comparisons waiting | anchors found per frame | short anchors "
      "(1-3 B) | positions where one occurs, per beat | distinct short anchors per beat "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  const auto flood = literal_flood(rules, 2000);
  struct Row {
    const std::vector<Frame>* f;
    const char* name;
    unsigned w;
    std::size_t cap;
    bool dedupe;
    bool partitioned = false;
    unsigned window = 0;
  };
  for (const Row& r : std::initializer_list<Row>{
           {&frames, "captures", 8, 0, false},
           {&frames, "captures", 8, 1, false},
           {&frames, "captures", 8, 1, true},
           {&frames, "captures", 64, 0, false},
           {&frames, "captures", 64, 2, false},
           {&frames, "captures", 64, 1, false},
           {&frames, "captures", 64, 1, true},
           {&flood, "literal flood", 8, 1, false},
           {&flood, "literal flood", 8, 1, true},
           {&flood, "literal flood", 64, 1, false},
           {&flood, "literal flood", 64, 1, true},
           {&frames, "captures", 8, 1, false, true},
           {&frames, "captures", 64, 1, false, true},
           {&flood, "literal flood", 8, 1, false, true},
           {&flood, "literal flood", 64, 1, false, true},
           {&frames, "captures", 64, 1, false, false, 8},
           {&frames, "captures", 64, 1, false, false, 16},
           {&flood, "literal flood", 64, 1, false, false, 8},
           {&flood, "literal flood", 64, 1, false, false, 16},
           {&frames, "captures", 8, 1, false, false, 4},
           {&flood, "literal flood", 8, 1, false, false, 4},
       }) {
    const std::array<unsigned, 4> lanes =
        r.w == 8 ? std::array<unsigned, 4>{1, 2, 4, 8} : std::array<unsigned, 4>{4, 8, 16, 32};
    auto cr =
        confirm_model(anchors, *r.f, lf, r.w, r.cap, r.dedupe, lanes, r.partitioned, r.window);
    const std::string key =
        r.cap == 0 ? "rarest 4 bytes" : "rarest window of a hash under " + std::to_string(r.cap);
    std::printf(
        "| %s | %u bytes, %s | %s | %zu | %s | %s | %u / %u / %u / %u | %.0f / %.0f / %.0f / "
        "%.0f | %zu / %zu / %zu / %zu of %zu | %s | %zu | %s | %s |\n",
        r.name, r.w,
        (key + (r.partitioned ? "; lanes own hash slices" : "") +
         (r.window != 0 ? "; repeats removed within " + std::to_string(r.window) + " lanes" : ""))
            .c_str(),
        r.dedupe ? "found earlier in the frame" : "none", cr.bucket_max, cr.hashes.str().c_str(),
        cr.ops.str().c_str(), lanes[0], lanes[1], lanes[2], lanes[3], cr.backlog_max[0],
        cr.backlog_max[1], cr.backlog_max[2], cr.backlog_max[3], cr.beats_waiting[0],
        cr.beats_waiting[1], cr.beats_waiting[2], cr.beats_waiting[3], cr.beats,
        cr.seen.str().c_str(), cr.shorts, cr.short_pos.str().c_str(),
        cr.short_distinct.str().c_str());
  }
}

// With `per_frame`, each frame's verifier cycles in frame order (for the flood model).
Result run(const std::vector<Rule>& rules, const hdr::Index& idx, Policy pol,
           const std::vector<Frame>& frames, const std::array<double, 256>& lf,
           std::vector<double>* per_frame = nullptr) {
  Result res;
  const std::vector<Anchor> anchors = anchors_of(rules, pol, lf, res.no_anchor);
  res.anchors = anchors.size();
  std::vector<std::uint32_t> anchor_id(rules.size(), 0);
  for (std::uint32_t k = 0; k < anchors.size(); ++k) {
    for (const auto r : anchors[k].rules) anchor_id[r] = k;
  }
  // Lookup by the first min(4, len) folded bytes.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_key;
  for (std::uint32_t k = 0; k < anchors.size(); ++k) {
    const auto& a = anchors[k];
    res.max_rules = std::max(res.max_rules, a.rules.size());
    res.short_anchors += a.bytes.size() < 4 ? 1U : 0U;
    std::uint64_t key = a.bytes.size() < 4 ? a.bytes.size() : 4;
    for (std::size_t i = 0; i < std::min<std::size_t>(4, a.bytes.size()); ++i) {
      key = (key << 8) | ascii_lower(a.bytes[i]);
    }
    by_key[key].push_back(k);
  }
  std::array<double, 3> backlog{};
  for (const auto& f : frames) {
    const Packet& p = f.p;
    const double beats = std::ceil(static_cast<double>(f.bytes.size()) / 64.0);
    res.total_beats += beats;
    std::uint32_t occ = 0;
    std::set<std::uint32_t> hit_rules;
    std::map<std::uint32_t, std::uint32_t> occ_of;    // anchor -> occurrences in this frame
    std::map<std::uint32_t, std::uint32_t> per_beat;  // beat -> occurrences starting in it
    if (p.payload_valid && p.payload_len > 0) {
      const std::uint8_t* pl = f.bytes.data() + p.payload_off;
      const std::uint32_t n = p.payload_len;
      for (std::uint32_t pos = 0; pos < n; ++pos) {
        for (std::size_t len = 1; len <= 4 && pos + len <= n; ++len) {
          std::uint64_t key = len;
          for (std::size_t i = 0; i < len; ++i) key = (key << 8) | ascii_lower(pl[pos + i]);
          const auto it = by_key.find(key);
          if (it == by_key.end()) continue;
          for (const auto k : it->second) {
            const auto& a = anchors[k];
            if (pos + a.bytes.size() > n) continue;
            bool eq = true;
            for (std::size_t i = 0; i < a.bytes.size() && eq; ++i) {
              const std::uint8_t b = pl[pos + i];
              eq = (a.nocase ? ascii_lower(b) : b) == a.bytes[i];
            }
            if (!eq) continue;
            ++occ;
            ++occ_of[k];
            if (a.bytes.size() >= 4) ++per_beat[(p.payload_off + pos) / 64];
            for (const auto r : a.rules) hit_rules.insert(r);
          }
        }
      }
    }
    const auto c = idx.classify(p);
    std::uint32_t jobs_all = 0, jobs_hdr = 0, dec = 0;
    double cyc = 0;
    for (const auto r : hit_rules) {
      ++jobs_all;
      if (!idx.group_matches(idx.group_of_rule[r], c, p)) continue;
      if (pol != Policy::V2 && decided_by_confirm(rules[r])) {
        ++dec;
        continue;
      }
      ++jobs_hdr;
      cyc += job_cycles(rules[r], occ_of[anchor_id[r]], p.payload_len);
    }
    for (std::size_t v = 0; v < kVerifiers.size(); ++v) {
      backlog[v] = std::max(0.0, backlog[v] - kVerifiers[v] * beats);
      if (backlog[v] + cyc > kVerifiers[v] * 2048) {
        ++res.shed[v];
      } else {
        backlog[v] += cyc;
      }
    }
    res.occ.add(occ);
    res.distinct.add(static_cast<double>(occ_of.size()));
    for (const auto& [b, n] : per_beat)
      res.beat_max = std::max(res.beat_max, n), res.occ_beats += n > 0 ? 1U : 0U;
    res.beats_over_8 += static_cast<std::size_t>(std::count_if(
        per_beat.begin(), per_beat.end(), [](const auto& x) { return x.second > 8; }));
    res.jobs_all.add(jobs_all);
    res.jobs_hdr.add(jobs_hdr);
    res.decided.add(dec);
    res.cycles.add(cyc);
    if (per_frame != nullptr) per_frame->push_back(cyc);
    res.total_cycles += cyc;
    res.total_occ += occ;
  }
  return res;
}

std::vector<Frame> read_pcaps(const std::string& dir) {
  std::vector<Frame> out;
  for (const auto& f : dejfa::capture_files(dir)) {
    dejfa::PcapReader rd;
    std::string err;
    if (!rd.open(f, err)) continue;
    dejfa::CapturedFrame fr;
    while (rd.next(fr)) {
      Frame x;
      x.bytes = fr.frame;
      x.p = dejfa::decode(x.bytes);
      out.push_back(std::move(x));
    }
  }
  return out;
}

}  // namespace

// ---- Deliverable 3's late-fail flood (issue #25). Flood rules: three contents each, the first a
// rare anchor, the last two never present, so a verifier scans the whole payload for each and
// fails at the end. Heavy frames carry the anchors of 16 flood rules in a 1,400-byte payload
// (16 jobs of 1 + 3 x 22 cycles, about 12 times what four verifiers bring in the frame's own 23
// beats); light frames are the real captures' frames, cycled. The flood alternates heavy and
// light frames for L heavy frames, after 2,000 light frames of warm-up. Per frame the verifier
// cycles come from the same model as above (`run`, rare8 anchors, ET Open and the flood rules);
// the admission policies below then replay the line at one beat a cycle with four verifiers
// draining the admitted frames' work in order, and a frame is inspected when its work is done.
constexpr std::uint32_t kFloodRules = 64, kAnchorsPerHeavy = 16;

std::string flood_rules() {
  std::string s;
  for (std::uint32_t i = 0; i < kFloodRules; ++i) {
    char b[256];
    std::snprintf(
        b, sizeof b,
        "alert tcp any any -> any any (msg:\"late-fail flood %u\"; content:\"QZX%04uFLOOD\"; "
        "content:\"never-here-%u\"; distance:0; content:\"nor-this\"; distance:0; "
        "sid:%u;)\n",
        i, i, i, 9100000 + i);
    s += b;
  }
  return s;
}

Frame heavy_frame(std::uint32_t n) {
  dejfa::FrameSpec fs;
  fs.sport = static_cast<std::uint16_t>(40000 + n % 20000);
  fs.payload.assign(1400, 'a');
  for (std::uint32_t k = 0; k < kAnchorsPerHeavy; ++k) {
    char b[16];
    std::snprintf(b, sizeof b, "QZX%04uFLOOD", (n + k * 5) % kFloodRules);
    std::copy(b, b + 12, fs.payload.begin() + 80 * k + 7);
  }
  Frame f;
  f.bytes = dejfa::build_frame(fs);
  f.p = dejfa::decode(f.bytes);
  return f;
}

enum class Admit { AbortAll, ShedArriving, Reserve };
const char* admit_name(Admit a) {
  switch (a) {
    case Admit::AbortAll:
      return "version 1: abort all work in flight when the bound is hit";
    case Admit::ShedArriving:
      return "shed the arriving frame when its work does not fit";
    case Admit::Reserve:
      return "reserve: frames needing more than their own beats bring only below 3/4 of the bound";
  }
  return "";
}

struct FloodOut {
  std::size_t cheap = 0, cheap_lost = 0, dear = 0, dear_lost = 0, flood = 0, flood_done = 0;
  double bytes = 0, inspected = 0;
};

// The line replayed at one beat a cycle; V verifiers take V cycles of work a beat from the
// oldest admitted frame on. The bound is what the packet buffer covers: V x 2,048 cycles of work
// waiting. A frame is "cheap" when its work fits in what its own beats bring (at most V cycles a
// beat): the frames the issue calls light. `flood[i]`: frame i is a flood frame (tally only).
FloodOut admit(Admit pol, const std::vector<Frame>& fr, const std::vector<double>& cyc,
               const std::vector<bool>& flood, std::size_t from) {
  constexpr double kV = 4, kBound = kV * 2048;
  struct Job {
    std::size_t i;
    double left;
  };
  std::deque<Job> q;
  double backlog = 0;
  std::vector<bool> lost(fr.size()), cheap(fr.size());
  for (std::size_t i = 0; i < fr.size(); ++i) {
    const double beats = std::ceil(static_cast<double>(fr[i].bytes.size()) / 64.0);
    cheap[i] = cyc[i] <= kV * beats;
    double supply = kV * beats;
    while (supply > 0 && !q.empty()) {
      const double take = std::min(supply, q.front().left);
      q.front().left -= take, supply -= take, backlog -= take;
      if (q.front().left <= 0) q.pop_front();
    }
    if (backlog < 1e-9) backlog = 0;
    bool in = backlog + cyc[i] <= kBound;
    if (pol == Admit::Reserve && !cheap[i]) in = backlog + cyc[i] <= kBound * 3 / 4;
    if (!in && pol == Admit::AbortAll) {
      for (const auto& j : q) lost[j.i] = true;
      q.clear();
      backlog = 0;
      in = cyc[i] <= kBound;
    }
    if (in) {
      if (cyc[i] > 0) q.push_back({i, cyc[i]}), backlog += cyc[i];
    } else {
      lost[i] = true;
    }
  }
  FloodOut o;
  for (std::size_t i = from; i < fr.size(); ++i) {
    const auto b = static_cast<double>(fr[i].bytes.size());
    o.bytes += b;
    o.inspected += lost[i] ? 0 : b;
    (cheap[i] ? o.cheap : o.dear) += 1;
    (cheap[i] ? o.cheap_lost : o.dear_lost) += lost[i] ? 1U : 0U;
    o.flood += flood[i] ? 1U : 0U;
    o.flood_done += flood[i] && !lost[i] ? 1U : 0U;
  }
  return o;
}

void flood_model(const dejfa::RuleSet& base, const std::string& name,
                 const std::vector<Frame>& light, const std::array<double, 256>& lf) {
  dejfa::LoadResult fl;
  dejfa::parse_rules(flood_rules(), "flood.rules", {}, fl);
  dejfa::RuleSet rs = base;
  for (auto& r : fl.set.rules) rs.rules.push_back(r);
  hdr::Limits lim;
  lim.groups_n = lim.addr_cls_n = lim.wide_n = lim.spec_n = lim.cset_n = 1U << 20;
  hdr::Index idx;
  dejfa::Diags d;
  if (!hdr::build(rs, lim, idx, d)) {
    std::printf("flood: %s\n", d.at(0).message.c_str());
    return;
  }
  std::printf(
      "\n### Late-fail flood: %s and %u flood rules, rare8 anchors, 4 verifiers\n\n"
      "| flood frames | policy | frames whose work fits their own beats: lost (of) | costlier "
      "frames: lost (of) | flood frames inspected | bytes inspected, share of all |\n"
      "|---|---|---|---|---|---|\n",
      name.c_str(), kFloodRules);
  constexpr std::size_t kWarm = 2000;
  for (const std::size_t len : {1000UL, 10000UL, 40000UL}) {
    std::vector<Frame> fr;
    std::vector<bool> heavy;
    for (std::size_t i = 0; i < kWarm; ++i)
      fr.push_back(light[i % light.size()]), heavy.push_back(false);
    for (std::size_t n = 0; n < len; ++n) {
      fr.push_back(heavy_frame(static_cast<std::uint32_t>(n)));
      heavy.push_back(true);
      fr.push_back(light[(kWarm + n) % light.size()]);
      heavy.push_back(false);
    }
    std::vector<double> cyc;
    run(rs.rules, idx, Policy::Rare8, fr, lf, &cyc);
    for (const Admit a : {Admit::AbortAll, Admit::ShedArriving, Admit::Reserve}) {
      const FloodOut o = admit(a, fr, cyc, heavy, kWarm);
      std::printf("| %zu | %s | %zu (%zu) | %zu (%zu) | %zu (%.1f %%) | %.1f %% |\n", len,
                  admit_name(a), o.cheap_lost, o.cheap, o.dear_lost, o.dear, o.flood_done,
                  100.0 * static_cast<double>(o.flood_done) / static_cast<double>(o.flood),
                  100.0 * o.inspected / o.bytes);
    }
  }
}

int main(int argc, char** argv) {
  std::string pcaps, snort;
  bool flood = false;
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pcaps" && i + 1 < argc) {
      pcaps = argv[++i];
    } else if (a == "--snort" && i + 1 < argc) {
      snort = argv[++i];
    } else if (a == "--flood") {
      flood = true;
    } else if (a == "--rules" && i + 1 < argc) {
      const std::string s = argv[++i];
      const auto eq = s.find('=');
      if (eq == std::string::npos) return 2;
      files.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    } else {
      std::fprintf(stderr, "usage: %s --pcaps DIR [--rules NAME=FILE] [--snort FILE] [--flood]\n",
                   argv[0]);
      return 2;
    }
  }
  if (pcaps.empty()) return 2;
  const auto frames = read_pcaps(pcaps);
  const auto lf = byte_logfreq();
  std::vector<std::pair<std::string, dejfa::RuleSet>> sets;
  for (const auto& [name, path] : files) {
    auto res = dejfa::load_rule_files({path}, {});
    sets.emplace_back(name + " (" + std::to_string(res.set.rules.size()) + " rules)",
                      std::move(res.set));
  }
  if (!snort.empty()) {
    dejfa::LoadResult res;
    dejfa::parse_rules(dejfa::bench::snort_literals(snort, 1000), "snort-literals", {}, res);
    sets.emplace_back(
        "1,000 Snort-community literals (" + std::to_string(res.set.rules.size()) + " load)",
        std::move(res.set));
  }
  std::printf("Content inspection model (bench/design_anchors.cpp): %zu frames\n", frames.size());
  for (const auto& [name, rs] : sets) {
    hdr::Limits lim;
    lim.groups_n = lim.addr_cls_n = lim.wide_n = lim.spec_n = lim.cset_n = 1U << 20;
    hdr::Index idx;
    dejfa::Diags d;
    if (!hdr::build(rs, lim, idx, d)) {
      std::printf("%s: %s\n", name.c_str(), d.at(0).message.c_str());
      continue;
    }
    std::printf("\n### %s\n\n", name.c_str());
    std::printf(
        "| policy | anchors (< 4 B) | most rules on one anchor | anchor occurrences per frame "
        "(mean / p99 / max) | distinct anchors per frame | candidate rules per frame | after the "
        "header check, to verify | decided by the confirm | verifier cycles per frame | "
        "verifiers needed (cycles / beats) | frames shed with 1 / 2 / 4 verifiers | most "
        "occurrences of anchors of 4+ bytes in a beat; beats with more than 8 |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Policy pol : {Policy::V2, Policy::Rare4, Policy::Rare8}) {
      Result r = run(rs.rules, idx, pol, frames, lf);
      std::printf(
          "| %s | %zu (%zu) | %zu | %s | %s | %s | %s | %s | %s | %.3f | %zu / %zu / %zu | %u; "
          "%zu of %.0f |\n",
          policy_name(pol), r.anchors, r.short_anchors, r.max_rules, r.occ.str().c_str(),
          r.distinct.str().c_str(), r.jobs_all.str().c_str(), r.jobs_hdr.str().c_str(),
          r.decided.str().c_str(), r.cycles.str().c_str(), r.total_cycles / r.total_beats,
          r.shed[0], r.shed[1], r.shed[2], r.beat_max, r.beats_over_8, r.total_beats);
    }
    std::size_t none = 0;
    const auto anchors = anchors_of(rs.rules, Policy::Rare8, lf, none);
    std::printf(
        "\nFilter in front of the confirm (rare8 anchors of 4+ bytes; per 64-byte beat of "
        "payload):\n\n| filter key, hash | filter bits | positions passing per beat (mean / p99 / "
        "max) | "
        "distinct "
        "windows per beat | false positives among passing | beats with more than 4 / 8 distinct "
        "windows |\n|---|---|---|---|---|---|\n");
    for (auto& fr : filter_model(anchors, frames, lf)) {
      std::printf("| %s, %s | 2^%u | %s | %s | %.1f %% | %zu / %zu of %zu |\n",
                  fr.rarest ? "rarest 4 bytes of the anchor" : "first 4 bytes",
                  fr.h3 ? "H3" : "XOR fold", fr.bits, fr.pass.str().c_str(),
                  fr.distinct.str().c_str(), fr.passed > 0 ? 100.0 * fr.false_pos / fr.passed : 0.0,
                  fr.over4, fr.over8, fr.beats);
    }
    print_confirm(anchors, rs.rules, frames, lf);
  }
  if (flood && !sets.empty()) flood_model(sets.front().second, sets.front().first, frames, lf);
  return 0;
}
