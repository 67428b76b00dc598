// SPDX-License-Identifier: Apache-2.0
//
// Rule image binary format (docs/IMAGE.md section 3): encoder, strict decoder, dump.

#include "dejfa/image_codec.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include "dejfa/content.hpp"
#include "dejfa/hdr_tables.hpp"

namespace dejfa {

namespace {

constexpr std::uint32_t kVersion = hw::kImageFormat;
constexpr std::uint32_t kHeaderSize = 32;
/// Format 3: the section of [[rtable]] table t has id kRtBase + t.
constexpr std::uint32_t kRtBase = 64;
/// Format 3: an ANCHORS entry holds up to this many bytes (docs/IMAGE.md 4.4).
constexpr std::size_t kAnchorBytes = 8;

enum Sec : std::uint32_t {
  kRules = 1,
  kStrings,
  kAddrPrefix,
  kAddrRows,
  kPortBounds,
  kPortRows,
  kProtoMap,
  kProtoRows,
  kTtlMap,
  kTtlRows,
  kTcpfMap,
  kTcpfRows,
  kItypeMap,
  kItypeRows,
  kIcodeMap,
  kIcodeRows,
  kDsizeBounds,
  kDsizeRows,
  kLiterals,
  kLitBytes,
  kPieces,
  kProgram,
  kAnchors,  ///< format 3 only
  kSecEnd
};

const char* sec_name(std::uint32_t id) {
  static constexpr const char* kNames[] = {
      "?",          "RULES",     "STRINGS",    "ADDR_PREFIX", "ADDR_ROWS",  "PORT_BOUNDS",
      "PORT_ROWS",  "PROTO_MAP", "PROTO_ROWS", "TTL_MAP",     "TTL_ROWS",   "TCPF_MAP",
      "TCPF_ROWS",  "ITYPE_MAP", "ITYPE_ROWS", "ICODE_MAP",   "ICODE_ROWS", "DSIZE_BOUNDS",
      "DSIZE_ROWS", "LITERALS",  "LIT_BYTES",  "PIECES",      "PROGRAM",    "ANCHORS"};
  return id < kSecEnd ? kNames[id] : "?";
}

class Writer {
 public:
  std::vector<std::uint8_t> b;
  void u8(std::uint32_t v) { b.push_back(static_cast<std::uint8_t>(v)); }
  void u16(std::uint32_t v) {
    u8(v);
    u8(v >> 8);
  }
  void u32(std::uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  }
  void bytes(std::span<const std::uint8_t> s) { b.insert(b.end(), s.begin(), s.end()); }
  void align() {
    while (b.size() % 4 != 0) b.push_back(0);
  }
};

class Reader {
 public:
  Reader(std::span<const std::uint8_t> s, std::string& err, const char* what)
      : s_(s), err_(err), what_(what) {}
  [[nodiscard]] bool ok() const { return ok_; }
  std::uint32_t u8() {
    if (!need(1)) return 0;
    return s_[at_++];
  }
  // Little-endian; each read is its own statement (the operands of `|` are unsequenced, so
  // `u8() | (u8() << 8)` may read the high byte first).
  std::uint32_t u16() {
    const std::uint32_t lo = u8();
    return lo | (u8() << 8);
  }
  std::uint32_t u32() {
    const std::uint32_t lo = u16();
    return lo | (u16() << 16);
  }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (!need(n)) return {};
    auto r = s_.subspan(at_, n);
    at_ += n;
    return r;
  }
  [[nodiscard]] bool at_end() const { return at_ == s_.size(); }

 private:
  bool need(std::size_t n) {
    if (!ok_) return false;
    if (at_ + n > s_.size()) {
      ok_ = false;
      err_ = std::string("section ") + what_ + " is truncated";
      return false;
    }
    return true;
  }
  std::span<const std::uint8_t> s_;
  std::string& err_;
  const char* what_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

struct Strings {
  std::vector<std::uint8_t> data;
  std::map<std::string, std::uint32_t> index;
  std::uint32_t add(const std::string& s) {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    const auto off = static_cast<std::uint32_t>(data.size());
    data.insert(data.end(), s.begin(), s.end());
    data.push_back(0);
    index.emplace(s, off);
    return off;
  }
};

void put_rows(Writer& w, const std::vector<Row>& rows) {
  for (const auto& r : rows) {
    for (auto x : r) w.u32(x);
  }
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  static const auto kTable = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFU;
  for (auto byte : data) c = kTable[(c ^ byte) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

namespace {

template <class Sec>
void encode_v1_header(const Image& img, Sec&& sec) {
  {
    Writer& w = sec(kAddrPrefix, static_cast<std::uint32_t>(img.addr.size()));
    for (std::size_t c = 0; c < img.addr.size(); ++c) {
      const auto& p = img.addr[c].prefix;
      w.u8(p.addr.v6 ? 1U : 0U);
      w.bytes(p.addr.b);
      w.u8(p.len);
      w.u8(static_cast<std::uint32_t>(c));
      w.u8(0);
    }
  }
  put_rows(sec(kAddrRows, static_cast<std::uint32_t>(img.addr_rows.size())), img.addr_rows);
  {
    Writer& w = sec(kPortBounds, static_cast<std::uint32_t>(img.port_bounds.size()));
    for (auto b : img.port_bounds) w.u16(b);
  }
  put_rows(sec(kPortRows, static_cast<std::uint32_t>(img.port_rows.size())), img.port_rows);
  const std::pair<const ClassTable*, std::uint32_t> smalls[] = {{&img.proto, kProtoMap},
                                                                {&img.ttl, kTtlMap},
                                                                {&img.tcpf, kTcpfMap},
                                                                {&img.itype, kItypeMap},
                                                                {&img.icode, kIcodeMap}};
  for (const auto& [t, id] : smalls) {
    sec(id, static_cast<std::uint32_t>(t->map.size())).bytes(t->map);
    put_rows(sec(id + 1, static_cast<std::uint32_t>(t->rows.size())), t->rows);
  }
  {
    Writer& w = sec(kDsizeBounds, static_cast<std::uint32_t>(img.dsize_bounds.size()));
    for (auto b : img.dsize_bounds) w.u16(b);
  }
  put_rows(sec(kDsizeRows, static_cast<std::uint32_t>(img.dsize_rows.size())), img.dsize_rows);
}

template <class Sec>
void encode_contents(const Image& img, Sec&& sec) {
  {
    Writer& w = sec(kLiterals, static_cast<std::uint32_t>(img.literals.size()));
    std::uint32_t off = 0;
    for (const auto& l : img.literals) {
      w.u16(static_cast<std::uint32_t>(l.bytes.size()));
      w.u8(l.nocase ? 1U : 0U);
      w.u8(0);
      w.u32(off);
      off += static_cast<std::uint32_t>(l.bytes.size());
    }
    Writer& lb = sec(kLitBytes, off);
    for (const auto& l : img.literals) lb.bytes(l.bytes);
  }
  {
    Writer& w = sec(kPieces, static_cast<std::uint32_t>(img.pieces.size()));
    for (auto p : img.pieces) w.u32(p);
  }
  {
    Writer& w = sec(kProgram, static_cast<std::uint32_t>(img.program.size()));
    for (const auto& c : img.program) {
      w.u32(c.pieces_first);
      w.u16(c.npieces);
      w.u16(c.len);
      w.u16(c.flags);
      w.u16(0);
      w.u32(c.offset);
      w.u32(c.depth);
      w.u32(static_cast<std::uint32_t>(c.distance));
      w.u32(c.within);
    }
  }
}

std::vector<std::uint8_t> assemble(const Image& img,
                                   std::vector<std::pair<std::uint32_t, Writer>>& secs,
                                   const std::vector<std::uint32_t>& counts) {
  Writer out;
  for (auto m : kImageMagic) out.u8(m);
  out.u32(img.format);
  out.u32(kHeaderSize);
  out.u32(0);  // total size, patched
  out.u32(0);  // crc, patched
  out.u32(static_cast<std::uint32_t>(img.params.size()));
  out.u32(static_cast<std::uint32_t>(secs.size()));
  for (auto p : img.params) out.u32(p);
  std::size_t off = out.b.size() + 16 * secs.size();
  for (std::size_t i = 0; i < secs.size(); ++i) {
    secs[i].second.align();
    out.u32(secs[i].first);
    out.u32(static_cast<std::uint32_t>(off));
    out.u32(static_cast<std::uint32_t>(secs[i].second.b.size()));
    out.u32(counts[i]);
    off += secs[i].second.b.size();
  }
  for (auto& s : secs) out.bytes(s.second.b);
  const auto total = static_cast<std::uint32_t>(out.b.size());
  std::memcpy(&out.b[16], &total, 4);  // little-endian hosts only (static_assert below)
  const std::uint32_t crc = crc32(out.b);
  std::memcpy(&out.b[20], &crc, 4);
  return out.b;
}

}  // namespace

std::vector<std::uint8_t> encode(const Image& img) {
  std::vector<std::pair<std::uint32_t, Writer>> secs;
  std::vector<std::uint32_t> counts;
  auto sec = [&](std::uint32_t id, std::uint32_t count) -> Writer& {
    secs.emplace_back(id, Writer{});
    counts.push_back(count);
    return secs.back().second;
  };
  Strings strs;
  {
    Writer& w = sec(kRules, static_cast<std::uint32_t>(img.rules.size()));
    for (const auto& r : img.rules) {
      w.u32(r.sid);
      w.u32(r.gid);
      w.u32(r.rev);
      w.u32(r.priority);
      w.u8(static_cast<std::uint32_t>(r.action));
      w.u8(r.bidirectional ? 1U : 0U);
      w.u16(r.ncontents);
      w.u32(r.prog_first);
      w.u32(strs.add(r.msg));
      w.u32(strs.add(r.classtype));
      w.u32(strs.add(r.source));
      w.u32(0);
    }
  }
  sec(kStrings, static_cast<std::uint32_t>(strs.data.size())).bytes(strs.data);
  if (img.format == 2) encode_v1_header(img, sec);
  encode_contents(img, sec);
  if (img.format == 3) {
    Writer& a = sec(kAnchors, static_cast<std::uint32_t>(img.anchors.size()));
    for (const auto& an : img.anchors) {
      for (std::size_t k = 0; k < kAnchorBytes; ++k) a.u8(k < an.bytes.size() ? an.bytes[k] : 0U);
      a.u8(static_cast<std::uint32_t>(an.bytes.size()));
      a.u8(an.nocase ? 1U : 0U);
      a.u16(0);
      a.u32(an.first);
      a.u32(an.count);
    }
    for (std::uint32_t t = 0; t < img.rt.size(); ++t) {
      if (img.rt[t].empty()) continue;
      Writer& w = sec(kRtBase + t, static_cast<std::uint32_t>(img.rt[t].size()));
      for (const auto& e : img.rt[t]) {
        for (std::size_t k = 0; k < hw::rtbl::kWords[t]; ++k) w.u32(e[k]);
      }
    }
  }
  return assemble(img, secs, counts);
}

static_assert(std::endian::native == std::endian::little, "image encoding assumes little-endian");

const hw::Config* config_of(const Image& img) {
  for (const auto& c : hw::kConfigs) {
    if (c.params() == img.params) return &c;
  }
  return nullptr;
}

namespace {

struct Span {
  std::span<const std::uint8_t> data;
  std::uint32_t count = 0;
  bool present = false;
};

// The sections of an image being decoded, with the checks every section reader shares.
struct Sections {
  const std::array<Span, kSecEnd>& secs;
  std::string& err;
  std::size_t W;  // words of a version-1 row

  [[nodiscard]] bool size_is(std::uint32_t id, std::size_t want_bytes) const {
    const std::size_t padded = (want_bytes + 3) / 4 * 4;
    if (secs[id].data.size() != padded) {
      err = std::string("section ") + sec_name(id) + " has " +
            std::to_string(secs[id].data.size()) + " bytes, " + std::to_string(padded) +
            " expected for " + std::to_string(secs[id].count) + " elements";
      return false;
    }
    return true;
  }
  [[nodiscard]] bool rows(std::uint32_t id, std::size_t nrows, std::vector<Row>& dst) const {
    if (!size_is(id, nrows * W * 4)) return false;
    Reader r(secs[id].data, err, sec_name(id));
    dst.assign(nrows, Row(W, 0));
    for (auto& row : dst) {
      for (auto& x : row) x = r.u32();
    }
    return r.ok();
  }
  [[nodiscard]] bool check_limit(std::uint32_t id, std::size_t count, std::size_t limit,
                                 const char* p) const {
    if (count > limit) {
      err = std::string("section ") + sec_name(id) + " has " + std::to_string(count) +
            " entries, more than " + p + " = " + std::to_string(limit);
      return false;
    }
    return true;
  }
};

bool decode_v1_header(const std::array<Span, kSecEnd>& secs, const hw::Config& cfg_, Image& out,
                      std::string& err);
bool decode_contents(std::span<const std::uint8_t> bytes, const std::array<Span, kSecEnd>& secs,
                     const hw::Config& cfg_, Image& out, std::string& err);
bool decode_rtables(const std::array<Span, hw::rtbl::kImageIds>& rts, const hdr::Limits& lim,
                    Image& out, std::string& err);
bool check_cont_rec(const Image& out, const hdr::Limits& lim, std::string& err);
bool check_cont_decided(const Image& out, std::string& err);
bool decode_anchors(const std::array<Span, kSecEnd>& secs, const hw::Config& cfg, Image& out,
                    std::string& err);

}  // namespace

bool decode_image(std::span<const std::uint8_t> bytes, const hw::Config* expect, Image& out,
                  std::string& err, std::uint32_t format) {
  out = Image{};
  if (bytes.size() < kHeaderSize) {
    err = "image is truncated: " + std::to_string(bytes.size()) + " bytes, shorter than its header";
    return false;
  }
  if (!std::equal(kImageMagic.begin(), kImageMagic.end(), bytes.begin())) {
    err = "not a dejfa rule image (bad magic)";
    return false;
  }
  auto rd32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, &bytes[at], 4);
    return v;
  };
  const std::uint32_t version = rd32(8);
  if (version != format || (format != 2 && format != 3)) {
    err = "image format version " + std::to_string(version) + ", " +
          (format == kVersion ? "the hardware loads version " : "version ") +
          std::to_string(format) + (format == kVersion ? "" : " was asked for");
    return false;
  }
  out.format = version;
  if (rd32(12) != kHeaderSize) {
    err = "bad header size " + std::to_string(rd32(12));
    return false;
  }
  const std::uint32_t total = rd32(16);
  if (total != bytes.size()) {
    err = "image is " + std::to_string(bytes.size()) + " bytes but its header says " +
          std::to_string(total) + (total > bytes.size() ? " (truncated)" : " (trailing data)");
    return false;
  }
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  // The fuzz target's own copy of this file skips the CRC (fuzz/CMakeLists.txt), so that the
  // fuzzer reaches the checks behind it; every other build checks it.
  std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
  std::memset(&copy[20], 0, 4);
  const std::uint32_t want = rd32(20);
  const std::uint32_t got = crc32(copy);
  if (want != got) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "CRC mismatch: header says %08x, contents give %08x", want, got);
    err = buf;
    return false;
  }
#endif
  const std::uint32_t np = rd32(24);
  const std::uint32_t ns = rd32(28);
  if (np != out.params.size()) {
    err = "image has " + std::to_string(np) + " hardware parameters, this build knows " +
          std::to_string(out.params.size());
    return false;
  }
  if (kHeaderSize + 4ULL * np + 16ULL * ns > bytes.size()) {
    err = "section table is truncated";
    return false;
  }
  for (std::size_t i = 0; i < np; ++i) out.params[i] = rd32(kHeaderSize + 4 * i);
  const hw::Config* cfg = config_of(out);
  if (expect != nullptr && out.params != expect->params()) {
    std::string diff;
    const auto e = expect->params();
    for (std::size_t i = 0; i < np; ++i) {
      if (out.params[i] != e[i]) {
        diff += std::string(diff.empty() ? "" : ", ") + std::string(hw::kParamNames[i]) + " " +
                std::to_string(out.params[i]) + " (hardware " + std::to_string(e[i]) + ")";
      }
    }
    err = "image was compiled for " +
          (cfg != nullptr ? "configuration " + std::string(cfg->name) : std::string("other")) +
          " parameters, not for " + std::string(expect->name) + ": " + diff;
    return false;
  }
  if (cfg == nullptr) {
    err = "image parameters match no known configuration";
    return false;
  }
  const std::size_t R = cfg->rules_n;
  const std::size_t W = R / 32;

  std::array<Span, kSecEnd> secs{};
  std::array<Span, hw::rtbl::kImageIds> rts{};  // format 3: per image [[rtable]] id
  const bool v3 = version == 3;
  auto is_v1_header = [](std::uint32_t id) { return id >= kAddrPrefix && id <= kDsizeRows; };
  for (std::size_t i = 0; i < ns; ++i) {
    const std::size_t t = kHeaderSize + 4 * np + 16 * i;
    const std::uint32_t id = rd32(t);
    const std::uint32_t off = rd32(t + 4);
    const std::uint32_t size = rd32(t + 8);
    const bool rt = v3 && id >= kRtBase && id < kRtBase + hw::rtbl::kImageIds &&
                    hw::rtbl::kWords[id - kRtBase] != 0;
    if (!rt && (id == 0 || id >= kSecEnd)) {
      err = "unknown section id " + std::to_string(id);
      return false;
    }
    if (v3 && is_v1_header(id)) {
      err = std::string("section ") + sec_name(id) + " is not part of format 3";
      return false;
    }
    if (!v3 && id == kAnchors) {
      err = std::string("section ") + sec_name(id) + " is not part of format 2";
      return false;
    }
    Span& slot = rt ? rts[id - kRtBase] : secs[id];
    const std::string name = rt ? "table " + std::to_string(id - kRtBase) : sec_name(id);
    if (slot.present) {
      err = "duplicate section " + name;
      return false;
    }
    if (std::uint64_t{off} + size > bytes.size() || off < kHeaderSize + 4 * np + 16 * ns) {
      err = "section " + name + " lies outside the image";
      return false;
    }
    slot = Span{bytes.subspan(off, size), rd32(t + 12), true};
  }
  for (std::uint32_t id = 1; id < kSecEnd; ++id) {
    if (!secs[id].present && !(v3 && is_v1_header(id)) && !(!v3 && id == kAnchors)) {
      err = std::string("section ") + sec_name(id) + " is missing";
      return false;
    }
  }
  const Sections sx{secs, err, W};
  auto size_is = [&](std::uint32_t id, std::size_t n) { return sx.size_is(id, n); };
  auto check_limit = [&](std::uint32_t id, std::size_t c, std::size_t l, const char* p) {
    return sx.check_limit(id, c, l, p);
  };

  // Strings first: rules refer to them.
  const auto strings = secs[kStrings].data.first(
      std::min<std::size_t>(secs[kStrings].count, secs[kStrings].data.size()));
  if (secs[kStrings].count > secs[kStrings].data.size() ||
      (!strings.empty() && strings.back() != 0)) {
    err = "section STRINGS is malformed";
    return false;
  }
  auto str = [&](std::uint32_t off, std::string& s) {
    if (off >= strings.size()) {
      err = "string offset " + std::to_string(off) + " beyond STRINGS";
      return false;
    }
    s.assign(reinterpret_cast<const char*>(strings.data() + off));
    return true;
  };

  // Format 3: rule ids up to RULES_N + 2 GROUPS_N (IMAGE.md 4.1).
  const hdr::Limits lim = hdr::Limits::of(*cfg);  // WIDE_N = RULES_N
  const std::uint32_t nrules = secs[kRules].count;
  if (!check_limit(kRules, nrules, v3 ? R + 2ULL * lim.groups_n : R,
                   v3 ? "RULES_N + 2 GROUPS_N" : "RULES_N") ||
      !size_is(kRules, nrules * 40ULL)) {
    return false;
  }
  {
    Reader r(secs[kRules].data, err, "RULES");
    for (std::uint32_t i = 0; i < nrules; ++i) {
      ImageRule ir;
      ir.sid = r.u32();
      ir.gid = r.u32();
      ir.rev = r.u32();
      ir.priority = r.u32();
      const std::uint32_t action = r.u8();
      const std::uint32_t flags = r.u8();
      ir.ncontents = static_cast<std::uint16_t>(r.u16());
      ir.prog_first = r.u32();
      const std::uint32_t m = r.u32();
      const std::uint32_t c = r.u32();
      const std::uint32_t s = r.u32();
      r.u32();
      if (!r.ok()) return false;
      if (action > 3 || flags > 1) {
        err = "rule " + std::to_string(i) + ": bad action or flags";
        return false;
      }
      ir.action = static_cast<Action>(action);
      ir.bidirectional = flags != 0;
      if (!str(m, ir.msg) || !str(c, ir.classtype) || !str(s, ir.source)) return false;
      // sid 0 marks an id without a rule (format 3's unused indexed positions): all defaults.
      const ImageRule none;
      if (ir.empty() &&
          (!v3 || ir.gid != none.gid || ir.rev != 0 || ir.priority != none.priority ||
           ir.action != none.action || ir.bidirectional || ir.ncontents != 0 ||
           ir.prog_first != 0 || !ir.msg.empty() || !ir.classtype.empty() || !ir.source.empty())) {
        err = "rule " + std::to_string(i) + " has sid 0" + (v3 ? " and is not an empty entry" : "");
        return false;
      }
      if (v3 && i >= R && ir.ncontents != 0) {
        err = "rule " + std::to_string(i) + " is an indexed rule with contents";
        return false;
      }
      out.rules.push_back(std::move(ir));
    }
  }
  if (v3) {
    if (!decode_rtables(rts, lim, out, err)) return false;
    const std::size_t groups = out.rt[hw::rtbl::GROUP_REC].size();
    if (out.rules.size() > R + 2 * groups) {
      err = "RULES has " + std::to_string(out.rules.size()) + " entries, beyond RULES_N + 2 x " +
            std::to_string(groups) + " groups";
      return false;
    }
  } else if (!decode_v1_header(secs, *cfg, out, err)) {
    return false;
  }
  return decode_contents(bytes, secs, *cfg, out, err);
}

namespace {

bool decode_v1_header(const std::array<Span, kSecEnd>& secs, const hw::Config& cfg_, Image& out,
                      std::string& err) {
  const hw::Config* cfg = &cfg_;
  const Sections sx{secs, err, cfg->rules_n / 32};
  auto size_is = [&](std::uint32_t id, std::size_t n) { return sx.size_is(id, n); };
  auto rows = [&](std::uint32_t id, std::size_t n, std::vector<Row>& d) {
    return sx.rows(id, n, d);
  };
  auto check_limit = [&](std::uint32_t id, std::size_t c, std::size_t l, const char* p) {
    return sx.check_limit(id, c, l, p);
  };
  const std::uint32_t naddr = secs[kAddrPrefix].count;
  if (!check_limit(kAddrPrefix, naddr, cfg->addr_n, "ADDR_N") ||
      !size_is(kAddrPrefix, naddr * 20ULL)) {
    return false;
  }
  {
    Reader r(secs[kAddrPrefix].data, err, "ADDR_PREFIX");
    for (std::uint32_t c = 0; c < naddr; ++c) {
      AddrEntry e;
      e.prefix.addr.v6 = r.u8() != 0;
      const auto b = r.bytes(16);
      if (!r.ok()) return false;
      std::copy(b.begin(), b.end(), e.prefix.addr.b.begin());
      e.prefix.len = static_cast<std::uint8_t>(r.u8());
      const std::uint32_t cls = r.u8();
      r.u8();
      if (e.prefix.len == 0 || e.prefix.len > 129 || cls != c ||
          (!e.prefix.addr.v6 && e.prefix.len > 1 && e.prefix.len < 97)) {
        err = "ADDR_PREFIX entry " + std::to_string(c) + " is invalid";
        return false;
      }
      // Host bits beyond the prefix are zero, and entries are longest first: the datapath and
      // the image model take the first entry that contains an address.
      IpPrefix canon = e.prefix;
      for (std::size_t bit = e.prefix.len == 0 ? 0 : e.prefix.len - 1U; bit < 128; ++bit) {
        canon.addr.b[bit / 8] &= static_cast<std::uint8_t>(~(0x80U >> (bit % 8)));
      }
      if (canon != e.prefix || (c > 0 && e.prefix.len > out.addr.back().prefix.len)) {
        err =
            "ADDR_PREFIX entry " + std::to_string(c) +
            (canon != e.prefix ? " has address bits beyond its length"
                               : " is longer than the entry before it (entries are longest first)");
        return false;
      }
      out.addr.push_back(e);
    }
  }
  // Both family roots are entries, so every address has a class (the image model and the
  // datapath index the rows by it).
  for (const bool v6 : {false, true}) {
    const bool root = std::any_of(out.addr.begin(), out.addr.end(), [&](const AddrEntry& e) {
      return e.prefix.len == 1 && e.prefix.addr.v6 == v6;
    });
    if (!root) {
      err = std::string("ADDR_PREFIX lacks the ") + (v6 ? "IPv6" : "IPv4") +
            " family root (every address needs a class)";
      return false;
    }
  }
  if (!rows(kAddrRows, 2ULL * naddr, out.addr_rows)) return false;
  const std::uint32_t npb = secs[kPortBounds].count;
  if (!check_limit(kPortBounds, npb, cfg->portb_n, "PORTB_N") ||
      !size_is(kPortBounds, 2ULL * npb)) {
    return false;
  }
  {
    Reader r(secs[kPortBounds].data, err, "PORT_BOUNDS");
    for (std::uint32_t i = 0; i < npb; ++i)
      out.port_bounds.push_back(static_cast<std::uint16_t>(r.u16()));
    if (!std::is_sorted(out.port_bounds.begin(), out.port_bounds.end()) ||
        std::adjacent_find(out.port_bounds.begin(), out.port_bounds.end()) !=
            out.port_bounds.end()) {
      err = "PORT_BOUNDS are not strictly ascending";
      return false;
    }
  }
  if (!rows(kPortRows, 2ULL * (npb + 2), out.port_rows)) return false;
  const std::tuple<ClassTable*, std::uint32_t, std::size_t> smalls[] = {
      {&out.proto, kProtoMap, kProtoKeys},
      {&out.ttl, kTtlMap, kTtlKeys},
      {&out.tcpf, kTcpfMap, kFlagKeys},
      {&out.itype, kItypeMap, kFlagKeys},
      {&out.icode, kIcodeMap, kFlagKeys}};
  for (const auto& [t, id, keys] : smalls) {
    if (secs[id].count != keys) {  // found by fuzz_image once the CRC no longer stopped it
      err = std::string("section ") + sec_name(id) + " has " + std::to_string(secs[id].count) +
            " entries, the map has " + std::to_string(keys);
      return false;
    }
    if (!size_is(id, keys)) return false;
    t->map.assign(secs[id].data.begin(), secs[id].data.begin() + static_cast<long>(keys));
    const std::uint32_t ncls = secs[id + 1].count;
    if (!check_limit(id + 1, ncls, cfg->cls_n, "CLS_N") || !rows(id + 1, ncls, t->rows))
      return false;
    for (auto c : t->map) {
      if (c >= ncls) {
        err = std::string(sec_name(id)) + " names class " + std::to_string(c) + " of " +
              std::to_string(ncls);
        return false;
      }
    }
  }
  const std::uint32_t ndb = secs[kDsizeBounds].count;
  if (!check_limit(kDsizeBounds, ndb, cfg->dsizeb_n, "DSIZEB_N") ||
      !size_is(kDsizeBounds, 2ULL * ndb)) {
    return false;
  }
  {
    Reader r(secs[kDsizeBounds].data, err, "DSIZE_BOUNDS");
    for (std::uint32_t i = 0; i < ndb; ++i)
      out.dsize_bounds.push_back(static_cast<std::uint16_t>(r.u16()));
    if (!std::is_sorted(out.dsize_bounds.begin(), out.dsize_bounds.end()) ||
        std::adjacent_find(out.dsize_bounds.begin(), out.dsize_bounds.end()) !=
            out.dsize_bounds.end()) {
      err = "DSIZE_BOUNDS are not strictly ascending";
      return false;
    }
  }
  return rows(kDsizeRows, ndb + 2ULL, out.dsize_rows);
}

// Format 3's ANCHORS (docs/IMAGE.md 4.4). The filter is exact only when every anchor lies in a
// positive content of every rule of its range, so the loader checks that, and that every content
// rule outside the ranges has no positive content: no image can make a rule's match depend on
// an anchor it does not contain.
bool decode_anchors(const std::array<Span, kSecEnd>& secs, const hw::Config& cfg, Image& out,
                    std::string& err) {
  const Sections sx{secs, err, cfg.rules_n / 32};
  const std::uint32_t n = secs[kAnchors].count;
  if (!sx.check_limit(kAnchors, n, cfg.rules_n, "RULES_N") || !sx.size_is(kAnchors, 20ULL * n)) {
    return false;
  }
  Reader rd(secs[kAnchors].data, err, "ANCHORS");
  std::uint32_t next = 0;  // the ranges tile ids 0 .. next-1 in order
  std::vector<std::uint8_t> cb;
  for (std::uint32_t i = 0; i < n; ++i) {
    ImageAnchor a;
    const auto raw = rd.bytes(kAnchorBytes);
    const std::uint32_t len = rd.u8();
    const std::uint32_t fl = rd.u8();
    rd.u16();
    a.first = rd.u32();
    a.count = rd.u32();
    if (!rd.ok()) return false;
    const std::string what = "anchor " + std::to_string(i);
    if (len == 0 || len > kAnchorBytes || fl > 1) {
      err = what + " has length " + std::to_string(len) + " or flags " + std::to_string(fl) +
            " out of range (1-8, 0-1)";
      return false;
    }
    a.bytes.assign(raw.begin(), raw.begin() + len);
    a.nocase = fl != 0;
    if (a.nocase && std::any_of(a.bytes.begin(), a.bytes.end(),
                                [](std::uint8_t c) { return c >= 'A' && c <= 'Z'; })) {
      err = what + " is nocase with upper-case bytes";
      return false;
    }
    if (a.first != next || a.count == 0 || std::uint64_t{a.first} + a.count > out.rules.size() ||
        std::uint64_t{a.first} + a.count > cfg.rules_n) {
      err = what + " has rule range [" + std::to_string(a.first) + ", " +
            std::to_string(std::uint64_t{a.first} + a.count) + "); the ranges must tile ids 0, " +
            std::to_string(next) + ", ... in order within the content rules";
      return false;
    }
    next = a.first + a.count;
    for (std::uint32_t id = a.first; id < next; ++id) {
      const ImageRule& r = out.rules[id];
      bool in = false;
      for (std::size_t k = 0; k < r.ncontents && !in; ++k) {
        if ((out.program[r.prog_first + k].flags & ImageContent::kNegated) != 0) continue;
        in = content_bytes(out, r, k, cb) == a.nocase && find_bytes(cb, a.bytes, a.nocase) >= 0;
      }
      if (!in) {
        err = what + " is in no positive content of rule " + std::to_string(id) + " (sid " +
              std::to_string(r.sid) + ") of its range";
        return false;
      }
    }
    out.anchors.push_back(std::move(a));
  }
  for (std::uint32_t id = next; id < out.rules.size() && id < cfg.rules_n; ++id) {
    const ImageRule& r = out.rules[id];
    for (std::size_t k = 0; k < r.ncontents; ++k) {
      if ((out.program[r.prog_first + k].flags & ImageContent::kNegated) == 0) {
        err = "rule " + std::to_string(id) + " (sid " + std::to_string(r.sid) +
              ") has a positive content and no anchor";
        return false;
      }
    }
  }
  return true;
}

bool decode_contents(std::span<const std::uint8_t> bytes, const std::array<Span, kSecEnd>& secs,
                     const hw::Config& cfg_, Image& out, std::string& err) {
  const hw::Config* cfg = &cfg_;
  const Sections sx{secs, err, cfg->rules_n / 32};
  auto size_is = [&](std::uint32_t id, std::size_t n) { return sx.size_is(id, n); };
  auto check_limit = [&](std::uint32_t id, std::size_t c, std::size_t l, const char* p) {
    return sx.check_limit(id, c, l, p);
  };
  const std::uint32_t nlit = secs[kLiterals].count;
  const std::uint32_t nlb = secs[kLitBytes].count;
  if (!check_limit(kLiterals, nlit, cfg->lits_n, "LITS_N") || !size_is(kLiterals, 8ULL * nlit) ||
      !check_limit(kLitBytes, nlb, cfg->litb_n, "LITB_N") || !size_is(kLitBytes, nlb)) {
    return false;
  }
  {
    Reader r(secs[kLiterals].data, err, "LITERALS");
    for (std::uint32_t i = 0; i < nlit; ++i) {
      const std::uint32_t len = r.u16();
      const std::uint32_t fl = r.u8();
      r.u8();
      const std::uint32_t off = r.u32();
      if (!r.ok()) return false;
      if (len == 0 || len > cfg->lit_max_b || std::uint64_t{off} + len > nlb || fl > 1) {
        err = "literal " + std::to_string(i) + " is invalid";
        return false;
      }
      out.literals.push_back(ImageLiteral{
          {secs[kLitBytes].data.begin() + off, secs[kLitBytes].data.begin() + off + len}, fl != 0});
    }
  }
  const std::uint32_t npieces = secs[kPieces].count;
  if (!size_is(kPieces, 4ULL * npieces)) return false;
  {
    Reader r(secs[kPieces].data, err, "PIECES");
    for (std::uint32_t i = 0; i < npieces; ++i) {
      const std::uint32_t id = r.u32();
      if (id >= nlit) {
        err = "piece " + std::to_string(i) + " names literal " + std::to_string(id) + " of " +
              std::to_string(nlit);
        return false;
      }
      out.pieces.push_back(id);
    }
  }
  const std::uint32_t nprog = secs[kProgram].count;
  if (!check_limit(kProgram, nprog, cfg->cprog_n, "CPROG_N") || !size_is(kProgram, 28ULL * nprog)) {
    return false;
  }
  {
    Reader r(secs[kProgram].data, err, "PROGRAM");
    for (std::uint32_t i = 0; i < nprog; ++i) {
      ImageContent c;
      c.pieces_first = r.u32();
      c.npieces = static_cast<std::uint16_t>(r.u16());
      c.len = static_cast<std::uint16_t>(r.u16());
      c.flags = static_cast<std::uint16_t>(r.u16());
      r.u16();
      c.offset = r.u32();
      c.depth = r.u32();
      c.distance = static_cast<std::int32_t>(r.u32());
      c.within = r.u32();
      if (!r.ok()) return false;
      std::size_t sum = 0;
      bool pieces_ok = c.npieces != 0 && std::uint64_t{c.pieces_first} + c.npieces <= npieces;
      for (std::size_t j = 0; pieces_ok && j < c.npieces; ++j) {
        const auto& lit = out.literals[out.pieces[c.pieces_first + j]];
        sum += lit.bytes.size();
        if (j + 1 < c.npieces && lit.bytes.size() != cfg->lit_max_b) pieces_ok = false;
        // The hardware addresses piece j as literal (first + j), all with one nocase.
        if (out.pieces[c.pieces_first + j] != out.pieces[c.pieces_first] + j) pieces_ok = false;
        if (lit.nocase != out.literals[out.pieces[c.pieces_first]].nocase) pieces_ok = false;
      }
      // Field widths of the hardware's PROG entry (docs/IMAGE.md).
      const bool fits = c.offset <= 0xFFFF && c.depth <= 0xFFFF && c.within <= 0xFFFF &&
                        c.distance >= -0xFFFF && c.distance <= 0xFFFF;
      if (!pieces_ok || !fits || sum != c.len || c.flags > 31) {
        err = "content program entry " + std::to_string(i) + " is invalid";
        return false;
      }
      out.program.push_back(c);
    }
  }
  for (std::size_t i = 0; i < out.rules.size(); ++i) {
    const auto& r = out.rules[i];
    if (r.ncontents > cfg->cont_n) {
      err = "rule " + std::to_string(i) + " (sid " + std::to_string(r.sid) + ") has " +
            std::to_string(r.ncontents) + " contents, beyond CONT_N";
      return false;
    }
    if (std::uint64_t{r.prog_first} + r.ncontents > nprog) {
      err = "rule " + std::to_string(i) + " (sid " + std::to_string(r.sid) +
            ") refers to content program entries beyond PROGRAM";
      return false;
    }
  }
  if (out.format == 3 && (!decode_anchors(secs, *cfg, out, err) || !check_cont_decided(out, err))) {
    return false;
  }
  // Canonical form: reserved fields and padding zero, strings shared and in first-use order,
  // sections in their order. Anything else did not come from the compiler (found by fuzzing).
  if (encode(out) != std::vector<std::uint8_t>(bytes.begin(), bytes.end())) {
    err =
        "image is not in canonical form (reserved fields, padding, string table or section "
        "order differ from what dejfa compile writes)";
    out = Image{};
    return false;
  }
  return true;
}

// Format 3's tables: each no larger than its capacity, its size n entries of RT_WORDS words,
// no bit set above the table's width; the address boundaries start at {IPv4, ::} and ascend;
// the per-port and per-key tables are whole; and every id a record holds names an entry that
// exists (a slot's group, a port's class, a wide class's rows, a key's class), so the image
// model and the hardware read only what the compiler wrote.
bool decode_rtables(const std::array<Span, hw::rtbl::kImageIds>& rts, const hdr::Limits& lim,
                    Image& out, std::string& err) {
  namespace rt = hw::rtbl;
  for (std::uint32_t t = 0; t < 32; ++t) {
    if (!rts[t].present) continue;
    const std::string name = "table " + std::to_string(t);
    const std::uint32_t n = rts[t].count;
    const std::uint32_t cap = hdr::Tables::capacity(lim, t);
    const std::size_t words = hw::rtbl::kWords[t];
    if (n == 0 || n > cap) {
      err = name + " has " + std::to_string(n) + " entries, " +
            (n == 0 ? "none (an empty table has no section)"
                    : "more than the configuration's " + std::to_string(cap));
      return false;
    }
    if (rts[t].data.size() != n * words * 4) {
      err = name + " has " + std::to_string(rts[t].data.size()) + " bytes, " +
            std::to_string(n * words * 4) + " expected for " + std::to_string(n) + " entries";
      return false;
    }
    Reader r(rts[t].data, err, "of a version-3 table");
    auto& dst = out.rt[t];
    dst.assign(n, RtEntry{});
    const std::uint32_t w = hw::rtbl::kWidth[t];
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < words; ++k) {
        const std::uint32_t v = r.u32();
        const auto bit0 = static_cast<std::uint32_t>(32 * k);
        const std::uint32_t keep = w >= bit0 + 32 ? ~0U : (1U << (w - bit0)) - 1U;
        if ((v & ~keep) != 0) {
          err = name + " entry " + std::to_string(i) + " has bits set above its width " +
                std::to_string(w);
          return false;
        }
        dst[i][k] = v;
      }
    }
    if (!r.ok()) return false;
  }
  const auto n = [&](std::uint32_t t) { return static_cast<std::uint32_t>(out.rt[t].size()); };
  const auto bad = [&](std::uint32_t t, std::uint32_t i, const std::string& what) {
    err = "table " + std::to_string(t) + " entry " + std::to_string(i) + ": " + what;
    return false;
  };
  // Address boundaries: {IPv4, ::} first, then strictly ascending 129-bit keys.
  const auto& ab = out.rt[rt::ADDR_BOUNDS];
  if (ab.empty() || ab[0] != RtEntry{}) {
    err = "table 0 (ADDR_BOUNDS) must start with the boundary {IPv4, ::}";
    return false;
  }
  for (std::uint32_t i = 1; i < ab.size(); ++i) {
    const auto key = [](const RtEntry& e) {
      return std::array<std::uint32_t, 5>{e[4], e[3], e[2], e[1], e[0]};
    };
    if (!(key(ab[i - 1]) < key(ab[i]))) return bad(rt::ADDR_BOUNDS, i, "not ascending");
  }
  // Per address class, per port value, per key: whole tables.
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 11> whole = {{
      {rt::S_DSIZE_BOUNDS, lim.dsizeb_n},
      {rt::WBIDIR, lim.wide_n / 64},
      {rt::ADDR_REC, n(rt::ADDR_BOUNDS)},
      {rt::WCLS_ADDR, n(rt::ADDR_BOUNDS)},
      {rt::PORT_CLS, 65536},
      {rt::WCLS_PORT, 65536},
      {rt::S_PROTO_MAP, static_cast<std::uint32_t>(kProtoKeys)},
      {rt::S_TTL_MAP, static_cast<std::uint32_t>(kTtlKeys)},
      {rt::S_TCPF_MAP, static_cast<std::uint32_t>(kFlagKeys)},
      {rt::S_ITYPE_MAP, static_cast<std::uint32_t>(kFlagKeys)},
      {rt::S_ICODE_MAP, static_cast<std::uint32_t>(kFlagKeys)},
  }};
  for (const auto& [t, want] : whole) {
    if (n(t) != want) {
      err = "table " + std::to_string(t) + " has " + std::to_string(n(t)) + " entries, " +
            std::to_string(want) + " expected";
      return false;
    }
  }
  if (n(rt::PORT_REC) == 0 || n(rt::GROUP_EN) != n(rt::GROUP_REC)) {
    err = "tables 3-5 (PORT_REC, GROUP_REC, GROUP_EN) are inconsistent: " +
          std::to_string(n(rt::PORT_REC)) + " port classes, " + std::to_string(n(rt::GROUP_REC)) +
          " group records, " + std::to_string(n(rt::GROUP_EN)) + " GROUP_EN entries";
    return false;
  }
  // Group records: a spec below SPEC_N; per field a complex set below CSET_N (the other range
  // bits zero) or two class ranges [lo, hi) within the field's classes.
  {
    namespace gr = hw::rec::group_rec;
    const auto field = [](const RtEntry& e, unsigned lsb, unsigned w) {
      std::uint32_t v = 0;
      for (unsigned i = 0; i < w; ++i) v |= ((e[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1U) << i;
      return v;
    };
    for (std::uint32_t g = 0; g < n(rt::GROUP_REC); ++g) {
      const RtEntry& e = out.rt[rt::GROUP_REC][g];
      if (field(e, gr::SPEC_LSB, gr::SPEC_W) >= lim.spec_n) {
        return bad(rt::GROUP_REC, g, "its spec is beyond SPEC_N");
      }
      for (unsigned f = 0; f < 4; ++f) {
        const hdr::GroupRecField& b = hdr::kGroupRecFields[f];
        const std::uint32_t lo0 = field(e, b.lo0, b.w), hi0 = field(e, b.hi0, b.w);
        const std::uint32_t lo1 = field(e, b.lo1, b.w), hi1 = field(e, b.hi1, b.w);
        if (field(e, b.cset, 1) != 0) {
          if (lo0 >= lim.cset_n || hi0 != 0 || lo1 != 0 || hi1 != 0) {
            return bad(rt::GROUP_REC, g, "field " + std::to_string(f) + " names no complex set");
          }
          continue;
        }
        const std::uint32_t classes = f < 2 ? n(rt::ADDR_BOUNDS) : n(rt::PORT_REC);
        if (lo0 > hi0 || hi0 > classes || lo1 > hi1 || hi1 > classes) {
          return bad(rt::GROUP_REC, g,
                     "field " + std::to_string(f) + " ranges beyond its " +
                         std::to_string(classes) + " classes");
        }
      }
    }
  }
  // Class records' slots name existing groups; ports name existing port classes.
  namespace cr = hw::rec::class_rec;
  namespace sl = hw::rec::hdr_slot;
  for (const std::uint32_t t : {rt::ADDR_REC, rt::PORT_REC}) {
    for (std::uint32_t i = 0; i < n(t); ++i) {
      for (const unsigned lsb : {cr::S0_0_LSB, cr::S0_1_LSB, cr::S1_0_LSB, cr::S1_1_LSB}) {
        const std::uint32_t slot = (out.rt[t][i][lsb / 32] >> (lsb % 32)) & 0xFFFFU;
        if ((slot >> sl::VALID_LSB & 1U) != 0 && (slot >> sl::GROUP_LSB) >= n(rt::GROUP_REC)) {
          return bad(t, i,
                     "a slot names group " + std::to_string(slot >> sl::GROUP_LSB) + " of " +
                         std::to_string(n(rt::GROUP_REC)));
        }
      }
    }
  }
  for (std::uint32_t v = 0; v < 65536; ++v) {
    if (out.rt[rt::PORT_CLS][v][0] >= n(rt::PORT_REC)) {
      return bad(rt::PORT_CLS, v, "names port class " + std::to_string(out.rt[rt::PORT_CLS][v][0]));
    }
  }
  // Row tables hold whole rows in lanes (a class's entries are class << lane bits | lane; when
  // the lane count is not a power of two the unused lane indices are zero and the last row ends
  // at its last lane). Wide classes and small-field classes name rows that exist.
  const auto per_of = [](std::uint32_t cols) {
    const std::uint32_t lanes = cols / 64;
    return std::pair{lanes, lanes > 1 ? std::bit_ceil(lanes) : 1U};
  };
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 10> row_tables = {{
      {rt::WROWS_SRC, lim.wide_n},
      {rt::WROWS_DST, lim.wide_n},
      {rt::WROWS_SPORT, lim.wide_n},
      {rt::WROWS_DPORT, lim.wide_n},
      {rt::S_PROTO_ROWS, lim.spec_n + lim.wide_n},
      {rt::S_TTL_ROWS, lim.spec_n + lim.wide_n},
      {rt::S_TCPF_ROWS, lim.spec_n + lim.wide_n},
      {rt::S_ITYPE_ROWS, lim.spec_n + lim.wide_n},
      {rt::S_ICODE_ROWS, lim.spec_n + lim.wide_n},
      {rt::S_DSIZE_ROWS, lim.spec_n + lim.wide_n},
  }};
  for (const auto& [t, cols] : row_tables) {
    const auto [lanes, per] = per_of(cols);
    if (n(t) % per != lanes % per) {
      err = "table " + std::to_string(t) + " has " + std::to_string(n(t)) +
            " entries: not whole rows of " + std::to_string(lanes) + " lanes";
      return false;
    }
    for (std::uint32_t i = 0; i < n(t); ++i) {
      if (i % per >= lanes && out.rt[t][i] != RtEntry{}) return bad(t, i, "an unused lane is set");
    }
  }
  const auto rows_of = [&](std::uint32_t t, std::uint32_t cols) {
    const std::uint32_t per = per_of(cols).second;
    return (n(t) + per - 1) / per;
  };
  // Payload-size boundaries: the valid ones first, strictly ascending; a row for every class
  // (0: payload unknown, 1 + k: from boundary k - 1).
  std::uint32_t nvalid = 0;
  for (std::uint32_t i = 0; i < n(rt::S_DSIZE_BOUNDS); ++i) {
    const std::uint32_t e = out.rt[rt::S_DSIZE_BOUNDS][i][0];
    if ((e >> 16) == 0) {
      if (e != 0) return bad(rt::S_DSIZE_BOUNDS, i, "an invalid boundary has a value");
      continue;
    }
    if (nvalid != i ||
        (i > 0 && (e & 0xFFFFU) <= (out.rt[rt::S_DSIZE_BOUNDS][i - 1][0] & 0xFFFFU))) {
      return bad(rt::S_DSIZE_BOUNDS, i, "valid boundaries must come first, strictly ascending");
    }
    ++nvalid;
  }
  if (rows_of(rt::S_DSIZE_ROWS, lim.spec_n + lim.wide_n) < nvalid + 2) {
    err = "table 29 (S_DSIZE_ROWS) has rows for " +
          std::to_string(rows_of(rt::S_DSIZE_ROWS, lim.spec_n + lim.wide_n)) +
          " payload-size classes, " + std::to_string(nvalid + 2) + " needed";
    return false;
  }
  // GROUP_EN says exactly which positions of a group hold a rule (enabled, as compiled) and
  // their actions, as RULES does: the hardware acts on GROUP_EN, the driver reads RULES.
  namespace ge = hw::rec::group_en;
  const std::size_t rn = lim.wide_n;
  for (std::uint32_t g = 0; g < n(rt::GROUP_EN); ++g) {
    const std::uint32_t v = out.rt[rt::GROUP_EN][g][0];
    for (std::uint32_t k = 0; k < 2; ++k) {
      const std::size_t id = rn + 2 * std::size_t{g} + k;
      const bool filled = id < out.rules.size() && !out.rules[id].empty();
      const bool en = ((v >> (k == 0 ? ge::EN0_LSB : ge::EN1_LSB)) & 1U) != 0;
      const std::uint32_t act = (v >> (k == 0 ? ge::ACT0_LSB : ge::ACT1_LSB)) & 3U;
      if (en != filled || act != (filled ? static_cast<std::uint32_t>(out.rules[id].action) : 0U)) {
        return bad(
            rt::GROUP_EN, g,
            "position " + std::to_string(k) + " disagrees with RULES entry " + std::to_string(id));
      }
    }
  }
  const std::uint32_t wrows =
      std::min(rows_of(rt::WROWS_SRC, lim.wide_n), rows_of(rt::WROWS_DST, lim.wide_n));
  const std::uint32_t prows =
      std::min(rows_of(rt::WROWS_SPORT, lim.wide_n), rows_of(rt::WROWS_DPORT, lim.wide_n));
  for (std::uint32_t i = 0; i < n(rt::WCLS_ADDR); ++i) {
    if (out.rt[rt::WCLS_ADDR][i][0] >= wrows) return bad(rt::WCLS_ADDR, i, "names no rows");
  }
  for (std::uint32_t i = 0; i < n(rt::WCLS_PORT); ++i) {
    if (out.rt[rt::WCLS_PORT][i][0] >= prows) return bad(rt::WCLS_PORT, i, "names no rows");
  }
  const std::array<std::pair<std::uint32_t, std::uint32_t>, 5> maps = {{
      {rt::S_PROTO_MAP, rt::S_PROTO_ROWS},
      {rt::S_TTL_MAP, rt::S_TTL_ROWS},
      {rt::S_TCPF_MAP, rt::S_TCPF_ROWS},
      {rt::S_ITYPE_MAP, rt::S_ITYPE_ROWS},
      {rt::S_ICODE_MAP, rt::S_ICODE_ROWS},
  }};
  for (const auto& [m, rows] : maps) {
    const std::uint32_t nr = rows_of(rows, lim.spec_n + lim.wide_n);
    for (std::uint32_t i = 0; i < n(m); ++i) {
      if (out.rt[m][i][0] >= nr) return bad(m, i, "names no rows");
    }
  }
  return check_cont_rec(out, lim, err);
}

// CONT_REC: an entry per content rule (the ids below RULES_N up to the last with contents),
// each naming a group record that exists.
bool check_cont_rec(const Image& out, const hdr::Limits& lim, std::string& err) {
  namespace rt = hw::rtbl;
  std::uint32_t c = 0;
  for (std::uint32_t i = 0; i < out.rules.size() && i < lim.wide_n; ++i) {
    if (out.rules[i].ncontents != 0) c = i + 1;
  }
  const auto& t = out.rt[rt::CONT_REC];
  if (t.size() != c) {
    err = "table " + std::to_string(rt::CONT_REC) + " (CONT_REC) has " + std::to_string(t.size()) +
          " entries, " + std::to_string(c) + " expected (one per content rule)";
    return false;
  }
  const std::size_t groups = out.rt[rt::GROUP_REC].size();
  namespace cr = hw::rec::cont_rec;
  for (std::uint32_t i = 0; i < c; ++i) {
    const std::uint32_t g = (t[i][0] >> cr::GROUP_LSB) & ((1U << cr::GROUP_W) - 1);
    const std::string what = "table " + std::to_string(rt::CONT_REC) + " (CONT_REC) entry " +
                             std::to_string(i) + " (sid " + std::to_string(out.rules[i].sid) + ")";
    if (g >= groups) {
      err = what + ": names group " + std::to_string(g) + " of " + std::to_string(groups);
      return false;
    }
  }
  return true;
}

// CONT_REC's DECIDED as the rule's program and anchor say (after ANCHORS and the programs are
// decoded and checked).
bool check_cont_decided(const Image& out, std::string& err) {
  const auto& t = out.rt[hw::rtbl::CONT_REC];
  for (std::uint32_t i = 0; i < t.size(); ++i) {
    const bool decided = ((t[i][0] >> hw::rec::cont_rec::DECIDED_LSB) & 1U) != 0;
    if (decided != decided_by_anchor(out, i)) {
      err = "table " + std::to_string(hw::rtbl::CONT_REC) + " (CONT_REC) entry " +
            std::to_string(i) + " (sid " + std::to_string(out.rules[i].sid) + "): DECIDED is " +
            (decided ? "1" : "0") + ", but the rule's program and anchor say " +
            (decided ? "0" : "1");
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {
std::string row_rules(const Row& row, const Image& img) {
  std::string s;
  std::size_t count = 0;
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    if (((row[i / 32] >> (i % 32)) & 1U) == 0) continue;
    if (++count <= 12) s += (s.empty() ? "" : ",") + std::to_string(img.rules[i].sid);
  }
  if (count == img.rules.size() && count != 0) return "all";
  if (count == 0) return "none";
  if (count > 12) s += ",... (" + std::to_string(count) + " rules)";
  return "sid " + s;
}

void dump_small(std::string& s, const char* name, const ClassTable& t, const Image& img,
                const char* keyfmt) {
  s += std::string(name) + ": " + std::to_string(t.rows.size()) + " classes\n";
  for (std::size_t c = 0; c < t.rows.size(); ++c) {
    std::string keys;
    std::size_t k = 0;
    std::size_t shown = 0;
    while (k < t.map.size()) {
      if (t.map[k] != c) {
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e + 1 < t.map.size() && t.map[e + 1] == c) ++e;
      if (shown++ < 6) {
        char buf[48];
        if (e == k) {
          std::snprintf(buf, sizeof buf, keyfmt, k);
        } else {
          char a[20];
          char b[20];
          std::snprintf(a, sizeof a, keyfmt, k);
          std::snprintf(b, sizeof b, keyfmt, e);
          std::snprintf(buf, sizeof buf, "%s-%s", a, b);
        }
        keys += (keys.empty() ? "" : " ") + std::string(buf);
      }
      k = e + 1;
    }
    if (shown > 6) keys += " ...";
    s += "  (" + std::to_string(c) + ") keys " + keys + " -> " + row_rules(t.rows[c], img) + "\n";
  }
}
void dump_v1_header(std::string& s, const Image& img) {
  s += "address prefixes (longest first; class = entry):\n";
  for (std::size_t c = 0; c < img.addr.size(); ++c) {
    const auto& p = img.addr[c].prefix;
    const std::string name = p.len == 1 ? (p.addr.v6 ? "ipv6 (root)" : "ipv4 (root)") : p.str();
    s += "  (" + std::to_string(c) + ") " + name + "  src -> " +
         row_rules(img.addr_rows[2 * c], img) + "; dst -> " +
         row_rules(img.addr_rows[2 * c + 1], img) + "\n";
  }
  s += "ports: " + std::to_string(img.port_bounds.size()) + " boundaries\n";
  for (std::size_t c = 0; 2 * c < img.port_rows.size(); ++c) {
    std::string range;
    if (c == 0) {
      range = "no ports";
    } else {
      const std::uint32_t lo = c == 1 ? 0 : img.port_bounds[c - 2];
      const std::uint32_t hi =
          c - 1 < img.port_bounds.size() ? img.port_bounds[c - 1] - 1U : 65535U;
      range = std::to_string(lo) + (hi != lo ? ":" + std::to_string(hi) : "");
    }
    s += "  (" + std::to_string(c) + ") " + range + "  sport -> " +
         row_rules(img.port_rows[2 * c], img) + "; dport -> " +
         row_rules(img.port_rows[2 * c + 1], img) + "\n";
  }
  dump_small(s, "protocol {v6,l4,proto}", img.proto, img, "%03zx");
  dump_small(s, "ttl", img.ttl, img, "%zu");
  dump_small(s, "tcp flags {tcp,flags}", img.tcpf, img, "%03zx");
  dump_small(s, "icmp type {icmp,type}", img.itype, img, "%03zx");
  dump_small(s, "icmp code {icmp,code}", img.icode, img, "%03zx");
  s += "payload size: " + std::to_string(img.dsize_bounds.size()) + " boundaries\n";
  for (std::size_t c = 0; c < img.dsize_rows.size(); ++c) {
    std::string range;
    if (c == 0) {
      range = "unknown";
    } else {
      const std::uint32_t lo = c == 1 ? 0 : img.dsize_bounds[c - 2];
      const std::uint32_t hi =
          c - 1 < img.dsize_bounds.size() ? img.dsize_bounds[c - 1] - 1U : 65535U;
      range = std::to_string(lo) + (hi != lo ? ".." + std::to_string(hi) : "");
    }
    s += "  (" + std::to_string(c) + ") " + range + " -> " + row_rules(img.dsize_rows[c], img) +
         "\n";
  }
}

}  // namespace

std::string dump(const Image& img) {
  std::string s;
  const hw::Config* cfg = config_of(img);
  s += "image format " + std::to_string(img.format) + ", configuration " +
       (cfg != nullptr ? std::string(cfg->name) : "?") + "\n";
  s += "rules: " + std::to_string(img.rules.size()) + (img.format == 3 ? " ids" : "") + "\n";
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const auto& r = img.rules[i];
    if (r.empty()) continue;  // format 3: an unused id
    s += "  [" + std::to_string(i) + "] " + action_name(r.action) + " sid " +
         std::to_string(r.gid) + ":" + std::to_string(r.sid) + ":" + std::to_string(r.rev) +
         (r.bidirectional ? " <>" : "") + " contents " + std::to_string(r.ncontents) + " @" +
         std::to_string(r.prog_first) + "  \"" + r.msg + "\"  (" + r.source + ")\n";
  }
  if (img.format == 3) {
    s += "version-3 tables ([[rtable]] id: entries):\n";
    for (std::size_t t = 0; t < img.rt.size(); ++t) {
      if (!img.rt[t].empty()) {
        s += "  " + std::to_string(t) + ": " + std::to_string(img.rt[t].size()) + "\n";
      }
    }
  }
  if (img.format == 2) dump_v1_header(s, img);
  s += "literals: " + std::to_string(img.literals.size()) + "\n";
  for (std::size_t i = 0; i < img.literals.size(); ++i) {
    Content c;
    c.bytes = img.literals[i].bytes;
    s += "  L" + std::to_string(i) + " \"" + c.pattern_str() + "\"" +
         (img.literals[i].nocase ? " nocase" : "") + "\n";
  }
  s += "content programs: " + std::to_string(img.program.size()) + " entries\n";
  for (std::size_t i = 0; i < img.program.size(); ++i) {
    const auto& c = img.program[i];
    std::string pieces;
    for (std::size_t j = 0; j < c.npieces; ++j) {
      pieces += (j == 0 ? "L" : "+L") + std::to_string(img.pieces[c.pieces_first + j]);
    }
    s += "  P" + std::to_string(i) + " " + ((c.flags & ImageContent::kNegated) != 0 ? "!" : "") +
         pieces + " len " + std::to_string(c.len);
    if ((c.flags & ImageContent::kOffset) != 0) s += " offset " + std::to_string(c.offset);
    if ((c.flags & ImageContent::kDepth) != 0) s += " depth " + std::to_string(c.depth);
    if ((c.flags & ImageContent::kDistance) != 0) s += " distance " + std::to_string(c.distance);
    if ((c.flags & ImageContent::kWithin) != 0) s += " within " + std::to_string(c.within);
    s += "\n";
  }
  if (img.format == 3) {
    s += "anchors: " + std::to_string(img.anchors.size()) + "\n";
    for (std::size_t i = 0; i < img.anchors.size(); ++i) {
      const auto& a = img.anchors[i];
      Content c;
      c.bytes = a.bytes;
      s += "  A" + std::to_string(i) + " \"" + c.pattern_str() + "\"" +
           (a.nocase ? " nocase" : "") + " rules [" + std::to_string(a.first) + ", " +
           std::to_string(a.first + a.count) + ")\n";
    }
  }
  return s;
}

bool content_bytes(const Image& img, const ImageRule& rule, std::size_t k,
                   std::vector<std::uint8_t>& bytes) {
  const ImageContent& c = img.program[rule.prog_first + k];
  bytes.clear();
  for (std::size_t j = 0; j < c.npieces; ++j) {
    const auto& l = img.literals[img.pieces[c.pieces_first + j]].bytes;
    bytes.insert(bytes.end(), l.begin(), l.end());
  }
  return img.literals[img.pieces[c.pieces_first]].nocase;
}

bool decided_by_anchor(const Image& img, std::uint32_t id) {
  if (id >= img.rules.size()) return false;
  const auto a =
      std::upper_bound(img.anchors.begin(), img.anchors.end(), id,
                       [](std::uint32_t v, const ImageAnchor& x) { return v < x.first; });
  if (a == img.anchors.begin()) return false;
  const ImageAnchor& an = *(a - 1);
  if (id >= an.first + an.count) return false;
  const ImageRule& r = img.rules[id];
  if (r.ncontents != 1 || r.prog_first >= img.program.size() ||
      img.program[r.prog_first].flags != 0 || img.program[r.prog_first].npieces == 0) {
    return false;
  }
  std::vector<std::uint8_t> b;
  const bool nocase = content_bytes(img, r, 0, b);
  if (nocase != an.nocase || b.size() != an.bytes.size()) return false;
  // (a nocase anchor holds its letters in lower case; the content may hold either)
  return find_bytes(b, an.bytes, nocase) == 0;
}

}  // namespace dejfa
