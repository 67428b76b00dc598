// SPDX-License-Identifier: Apache-2.0
//
// dejfa gen: write a capture of realistic mixed traffic.
// dejfa sim: replay a capture through an engine and report like Suricata would: summary,
// per-rule table, counters JSON, EVE JSON alerts, pcaps of passed and dropped frames.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <unistd.h>

#include "cli.hpp"
#include "dejfa/classtype.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/driver.hpp"
#include "dejfa/fileio.hpp"
#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/texttable.hpp"
#include "dejfa/trafficgen.hpp"
#include "sim_engine.hpp"

namespace dejfa::cli {

namespace {

/// Suricata's EVE timestamp: 2025-11-26T00:00:00.000123+0000.
std::string eve_time(std::uint64_t ts_ns) {
  const auto secs = static_cast<std::time_t>(ts_ns / 1'000'000'000ULL);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
  char o[96];
  std::snprintf(o, sizeof o, "%s.%06llu+0000", b,
                static_cast<unsigned long long>((ts_ns / 1000) % 1'000'000ULL));
  return o;
}

// EVE's address form: IPv4 dotted, IPv6 all eight groups zero-padded (Suricata's
// PrintInetIPv6, util-print.c, "without deleting zeroes").
std::string eve_ip(const IpAddr& a) {
  if (!a.v6) return a.str();
  char b[48];
  int n = 0;
  for (std::size_t g = 0; g < 8; ++g) {
    n += std::snprintf(b + n, sizeof b - static_cast<std::size_t>(n),
                       g != 0 ? ":%02x%02x" : "%02x%02x", a.b[2 * g], a.b[2 * g + 1]);
  }
  return b;
}

// EVE's `proto`: the IANA keyword Suricata's known_proto table (util-proto-name.c) gives the
// protocol numbers a filter meets; any other number as a decimal string (Suricata names all of
// 0..143; docs/SEMANTICS.md section 7).
std::string eve_proto(std::uint8_t proto) {
  switch (proto) {
    case 1:
      return "ICMP";
    case 2:
      return "IGMP";
    case 4:
      return "IPv4";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 41:
      return "IPv6";
    case 43:
      return "IPv6-Route";
    case 44:
      return "IPv6-Frag";
    case 47:
      return "GRE";
    case 50:
      return "ESP";
    case 51:
      return "AH";
    case 58:
      return "IPv6-ICMP";
    case 59:
      return "IPv6-NoNxt";
    case 60:
      return "IPv6-Opts";
    case 89:
      return "OSPFIGP";
    case 103:
      return "PIM";
    case 112:
      return "VRRP";
    case 115:
      return "L2TP";
    case 132:
      return "SCTP";
    case 136:
      return "UDPLite";
    case 137:
      return "MPLS-in-IP";
    default:
      return std::to_string(proto);
  }
}

// The packet part of an EVE alert record, as Suricata writes it for a packet without a flow
// (output-json.c CreateEveHeader, pcap mode): pcap_cnt, addresses, ports only for TCP/UDP
// (0 for IPv4 fragments, which Suricata does not decode past IP), ICMP type and code, pkt_src.
// No flow_id or direction: dejfa keeps no flows (issue #26), and Suricata omits both then too.
void eve_packet(Json& r, const Packet& p, std::size_t index) {
  r["pcap_cnt"] = index + 1;
  r["event_type"] = "alert";
  if (p.vlans != 0) {  // Suricata: "vlan": [outer, inner]
    Json& v = r["vlan"] = Json::array();
    for (std::size_t i = 0; i < p.vlans && i < p.vlan_ids.size(); ++i) v.push_back(p.vlan_ids[i]);
  }
  if (p.ip) {
    const bool frag6 = p.v6 && p.fragment;
    const std::uint8_t proto = frag6 ? 44 : p.proto;
    const bool ported = proto == 6 || proto == 17;
    const bool ports = ported && !p.fragment && p.has_ports();
    r["src_ip"] = eve_ip(p.src);
    if (ported) r["src_port"] = ports ? p.sport : 0;
    r["dest_ip"] = eve_ip(p.dst);
    if (ported) r["dest_port"] = ports ? p.dport : 0;
    r["proto"] = eve_proto(proto);
    if (!p.fragment && (p.l4 == Packet::L4::Icmp4 || p.l4 == Packet::L4::Icmp6)) {
      r["icmp_type"] = p.icmp_type;
      r["icmp_code"] = p.icmp_code;
    }
  }
  r["pkt_src"] = "wire/pcap";
}

struct RuleCount {
  std::uint64_t packets = 0, bytes = 0, alerts = 0;
};

}  // namespace

int cmd_gen(std::span<const std::string> args) {
  std::string output;
  GenOptions go;
  po::options_description opts("dejfa gen -o FILE.pcap [options]: write realistic mixed traffic");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&output)->required(),
                                                 "capture to write (pcap, nanosecond)")(
      "packets,n", po::value(&go.packets)->default_value(go.packets), "number of frames")(
      "seed", po::value(&go.seed)->default_value(go.seed), "random seed")(
      "attack-share", po::value(&go.attack_share)->default_value(go.attack_share),
      "fraction of frames drawn from the attack mix");
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    std::cout << opts;
    return kExitOk;
  }
  parse_args(args, opts);
  if (go.attack_share < 0 || go.attack_share > 1) {
    std::cerr << "dejfa gen: --attack-share must be within 0..1\n";
    return kExitUsage;
  }
  PcapWriter w;
  std::string err;
  if (!w.open(output, err)) {
    std::cerr << "dejfa gen: " << err << "\n";
    return kExitIo;
  }
  const auto frames = generate_traffic(go);
  std::uint64_t bytes = 0;
  for (const auto& f : frames) {
    if (!w.write(f.ts_ns, f.frame.data(), static_cast<std::uint32_t>(f.frame.size()),
                 static_cast<std::uint32_t>(f.frame.size())))
      break;
    bytes += f.frame.size();
  }
  if (!w.close()) {
    std::cerr << "dejfa gen: cannot write " << w.error() << "\n";
    return kExitIo;
  }
  std::cerr << "wrote " << output << ": " << frames.size() << " frames, " << bytes
            << " bytes (seed " << go.seed << ")\n";
  return kExitOk;
}

Epoch apply_tune(const Epoch& prev, const TuneOp& op, Policy pol) {
  Epoch e = prev;
  if (op.kind == TuneOp::Load) {
    e.rs.reset();
    e.ref.reset();
    e.img = op.img;
    e.im = std::make_shared<ImageModel>(*e.img, pol);
    e.rule_of_id.clear();
    e.meta.clear();
    for (const auto& r : e.img->rules) {
      e.meta.push_back({r.sid, r.gid, r.rev, r.priority, r.action, r.msg, r.classtype});
    }
    return e;
  }
  std::size_t idx = e.meta.size();
  for (std::size_t i = 0; i < e.meta.size(); ++i) {
    if (e.meta[i].sid == op.sid && e.meta[i].gid == op.gid) idx = i;
  }
  if (idx == e.meta.size()) {
    throw std::runtime_error(op.where + ": no rule with sid " + std::to_string(op.sid) +
                             " in the rules in force");
  }
  if (e.ref) e.ref = std::make_shared<RefModel>(*e.ref);
  if (e.im) e.im = std::make_shared<ImageModel>(*e.im);
  const auto set_enabled = [&](bool on) {
    if (e.ref) e.ref->set_enabled(idx, on);
    if (e.im) e.im->set_enabled(idx, on);
  };
  switch (op.kind) {
    case TuneOp::Disable:
      set_enabled(false);
      break;
    case TuneOp::Enable:
      set_enabled(true);
      break;
    case TuneOp::SetAction:
      if (e.ref) e.ref->set_action(idx, op.action);
      if (e.im) e.im->set_action(idx, op.action);
      e.meta[idx].action = op.action;
      break;
    case TuneOp::Load:
      break;
  }
  return e;
}

namespace {

/// The decoded image at `path`; nullopt with `err`, and `io` set when the file could not be read
/// (exit 4) rather than refused (exit 2).
std::optional<Image> read_image(const std::string& path, const hw::Config* cfg, std::string& err,
                                bool* io = nullptr) {
  std::vector<std::uint8_t> bytes;
  if (!read_file(path, kImageFileMaxB, "rule image", bytes, err)) {
    if (io != nullptr) *io = true;
    return std::nullopt;
  }
  Image img;
  if (!decode_image(bytes, cfg, img, err)) {
    err = path + ": " + err;
    return std::nullopt;
  }
  return img;
}

/// Parses a --tune script: "<packet> disable|enable <sid>", "<packet> action <sid>
/// alert|drop|reject|pass", "<packet> load <image>"; '#' starts a comment. Packets count from 1;
/// an operation runs before its packet. Returns kExitOk, or with `err` set: kExitIo when the
/// script or an image it loads cannot be read (or is over its size cap), kExitRules when an image
/// is refused, kExitUsage for a line that is not an operation.
int parse_tune(const std::string& path, const hw::Config* cfg, std::vector<TuneOp>& ops,
               std::string& err) {
  std::string text;
  if (!read_file(path, kTuneFileMaxB, "tune script", text, err)) return kExitIo;
  std::istringstream f(text);
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    if (const auto h = line.find('#'); h != std::string::npos) line.resize(h);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a script written on Windows
    std::istringstream ls(line);
    std::string at, verb, arg, arg2;
    if (!(ls >> at)) continue;
    ls >> verb >> arg >> arg2;
    TuneOp op;
    op.where = path + ":" + std::to_string(n);
    const auto num = [](const std::string& s, std::uint64_t& v) {
      if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18)
        return false;
      v = std::stoull(s);
      return true;
    };
    std::uint64_t v = 0;
    if (!num(at, op.at) || op.at == 0) {
      err = op.where + ": '" + at + "' is not a packet number (from 1)";
      return kExitUsage;
    }
    if (verb == "disable" || verb == "enable" || verb == "action") {
      if (!num(arg, v) || v > 0xFFFFFFFFULL) {
        err = op.where + ": '" + arg + "' is not a sid";
        return kExitUsage;
      }
      op.sid = static_cast<std::uint32_t>(v);
      op.kind = verb == "disable"  ? TuneOp::Disable
                : verb == "enable" ? TuneOp::Enable
                                   : TuneOp::SetAction;
      if (verb == "action") {
        if (!action_from_name(arg2, op.action)) {
          err = op.where + ": action '" + arg2 + "' is not alert, drop, reject or pass";
          return kExitUsage;
        }
      }
    } else if (verb == "load") {
      op.kind = TuneOp::Load;
      bool io = false;
      auto img = read_image(arg, cfg, err, &io);
      if (!img) {
        err.insert(0, op.where + ": ");
        return io ? kExitIo : kExitRules;
      }
      op.img = std::make_shared<const Image>(std::move(*img));
    } else {
      err = op.where + ": unknown operation '" + verb + "' (disable, enable, action, load)";
      return kExitUsage;
    }
    if (!ops.empty() && op.at < ops.back().at) {
      err = op.where + ": packet numbers must not decrease";
      return kExitUsage;
    }
    ops.push_back(std::move(op));
  }
  return kExitOk;
}

}  // namespace

namespace {

// cmd_sim's steps, in order. A step returns std::nullopt to go on, or the exit code to stop with
// (its message written).
using Step = std::optional<int>;

/// The command line.
struct SimArgs {
  RuleInputs in;
  std::string image_path, pcap, engine = "ref", config = "100g", tune_path, trace_path;
  std::string counters_path, eve_path, pass_path, drop_path;
  bool malformed_drop = false, overflow_drop = false, no_check = false;
  std::uint64_t seed = 1;
  unsigned in_bubbles = 0, out_busy = 0;
  const hw::Config* cfg = nullptr;
  bool rtl = false;
  DecodeLimits lim;  ///< the configuration's, for every decode of the run
};

/// Parses and checks the options; the configuration is the image's own with --image unless
/// given.
Step sim_args(std::span<const std::string> args, SimArgs& a) {
  po::options_description opts(
      "dejfa sim -r CAPTURE (RULES... | --image IMAGE) [options]: replay a capture");
  opts.add_options()("help,h", "show this help")("rules", po::value(&a.in.files)->composing(),
                                                 "rule files (positional, or --rules)")(
      "image", po::value(&a.image_path), "a compiled rule image instead of rules")(
      "pcap,r", po::value(&a.pcap), "capture to replay (pcap or pcapng), as tcpdump -r")(
      "config,c", po::value(&a.config)->default_value(a.config),
      "hardware configuration (with --image: the image's own unless given)")(
      "engine", po::value(&a.engine)->default_value(a.engine),
      "ref: the reference model (with --image: the image model); rtl: the Verilated core, "
      "checked in lock-step against the model")("no-check", po::bool_switch(&a.no_check),
                                                "rtl: do not run the model in lock-step")(
      "seed", po::value(&a.seed)->default_value(a.seed),
      "rtl: seed of the simulation's random choices")(
      "in-bubbles", po::value(&a.in_bubbles)->default_value(0),
      "rtl: percent of cycles s_axis_tvalid is held low")(
      "out-busy", po::value(&a.out_busy)->default_value(0),
      "rtl: percent of cycles m_axis_tready is low")("trace", po::value(&a.trace_path),
                                                     "rtl: write an FST waveform")(
      "tune", po::value(&a.tune_path), "replay with control operations at given packet numbers")(
      "counters", po::value(&a.counters_path), "write per-rule and global counters as JSON")(
      "eve", po::value(&a.eve_path), "write Suricata EVE JSON alert records")(
      "pass-pcap", po::value(&a.pass_path), "write the frames that passed")(
      "drop-pcap", po::value(&a.drop_path), "write the frames that were dropped")(
      "malformed-drop", po::bool_switch(&a.malformed_drop), "drop malformed frames (policy)")(
      "overflow-drop", po::bool_switch(&a.overflow_drop),
      "rtl: drop frames whose inspection overflowed (policy; default pass)");
  a.in.add_to(opts);
  const auto vm = parse_args(args, opts, "rules");
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  if (a.pcap.empty()) {
    std::cerr << "dejfa sim: a capture is required (-r/--pcap FILE)\n";
    return kExitUsage;
  }
  if (a.image_path.empty() == a.in.files.empty()) {
    std::cerr << "dejfa sim: give either rule files or --image\n";
    return kExitUsage;
  }
  if (!a.image_path.empty() && vm["config"].defaulted()) {
    std::string unused;
    if (const auto peek = read_image(a.image_path, nullptr, unused)) {
      if (const hw::Config* own = config_of(*peek)) a.config = std::string(own->name);
    }
  }
  a.cfg = find_config(a.config);
  if (a.cfg == nullptr) {
    std::cerr << "dejfa sim: unknown configuration '" << a.config << "'\n";
    return kExitUsage;
  }
  a.lim.hdr_win_b = a.cfg->hdr_win_b;
  if (a.engine != "ref" && a.engine != "rtl") {
    std::cerr << "dejfa sim: unknown engine '" << a.engine << "' (ref, rtl)\n";
    return kExitUsage;
  }
  a.rtl = a.engine == "rtl";
  if (a.rtl && !have_rtl()) {
    std::vector<Epoch> none;
    std::vector<Judged> nothing;
    RtlStats unused;
    return run_rtl(*a.cfg, {}, none, {}, RtlOptions{}, nothing, unused);
  }
  if (a.in_bubbles > 99 || a.out_busy > 99) {
    std::cerr << "dejfa sim: --in-bubbles and --out-busy are percentages below 100\n";
    return kExitUsage;
  }
  return std::nullopt;
}

/// The rules in force at the start: IR and reference model, or a decoded image and the image
/// model. The RTL engine needs the image in both cases.
Step first_epoch(const SimArgs& a, const Policy& pol, Epoch& e0) {
  if (!a.in.files.empty()) {
    auto lr = std::make_shared<LoadResult>();
    if (const int rc = load_rules(a.in, *lr); rc != 0) return rc;
    e0.rs = std::shared_ptr<const RuleSet>(lr, &lr->set);
    for (const auto& r : e0.rs->rules) {
      e0.meta.push_back(
          {r.sid, r.gid, r.rev, r.effective_priority(), r.action, r.msg, r.classtype});
    }
    e0.ref = std::make_shared<RefModel>(*e0.rs, a.lim, pol);
    if (a.rtl) {
      auto res = compile(*e0.rs, *a.cfg);
      if (!res.ok) {
        for (const auto& d : res.diags) std::cerr << "dejfa sim: " << d.message << "\n";
        return kExitCapacity;
      }
      e0.img = std::make_shared<const Image>(std::move(res.image));
      e0.rule_of_id.assign(e0.img->rules.size(), ~0U);
      for (std::size_t r = 0; r < res.id_of_rule.size(); ++r) {
        e0.rule_of_id.at(res.id_of_rule[r]) = static_cast<std::uint32_t>(r);
      }
    }
    return std::nullopt;
  }
  std::string err;
  bool io = false;
  auto img = read_image(a.image_path, a.cfg, err, &io);
  if (!img) {
    std::cerr << "dejfa sim: " << err << "\n";
    return io ? kExitIo : kExitRules;
  }
  e0.img = std::make_shared<const Image>(std::move(*img));
  e0.im = std::make_shared<ImageModel>(*e0.img, pol);
  for (const auto& r : e0.img->rules) {
    e0.meta.push_back({r.sid, r.gid, r.rev, r.priority, r.action, r.msg, r.classtype});
  }
  return std::nullopt;
}

/// The --tune script's operations; every sid an operation names must be loaded when it runs
/// (after a `load`, in that image): checked before any frame, operations after the capture's
/// last packet included.
Step tune_ops(const SimArgs& a, const Epoch& e0, std::vector<TuneOp>& ops) {
  if (a.tune_path.empty()) return std::nullopt;
  std::string err;
  if (const int rc = parse_tune(a.tune_path, a.cfg, ops, err); rc != kExitOk) {
    std::cerr << "dejfa sim: " << err << "\n";
    return rc;
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> have;  // gid, sid
  for (const auto& m : e0.meta) {
    if (m.sid != 0) have.emplace(m.gid, m.sid);
  }
  for (const auto& op : ops) {
    if (op.kind == TuneOp::Load) {
      have.clear();
      for (const auto& r : op.img->rules) {
        if (!r.empty()) have.emplace(r.gid, r.sid);
      }
    } else if (!have.contains({op.gid, op.sid})) {
      std::cerr << "dejfa sim: " << op.where << ": no rule with sid " << op.sid
                << " is loaded at that packet\n";
      return kExitUsage;
    }
  }
  return std::nullopt;
}

/// Every frame of the capture. Frames cut by the capture's snap length look malformed or lose
/// their payload; a warning says so, as tcpdump and Suricata do, instead of judging them without
/// a word.
Step read_capture(const std::string& pcap, std::vector<CapturedFrame>& frames) {
  PcapReader rd;
  std::string err;
  if (!rd.open(pcap, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }
  for (CapturedFrame cf; rd.next(cf);) frames.push_back(std::move(cf));
  if (!rd.error().empty()) {
    std::cerr << "dejfa sim: " << pcap << ": read error after " << frames.size()
              << " packets: " << rd.error() << "\n";
    return kExitIo;
  }
  std::size_t cut = 0;
  for (const auto& cf : frames) cut += cf.caplen < cf.orig_len ? 1U : 0U;
  if (cut != 0) {
    std::cerr << "dejfa sim: warning: " << cut << " of " << frames.size() << " frames in " << pcap
              << " were cut short by the capture's snap length (captured fewer bytes than were "
                 "on the wire); they are judged on what was captured\n";
  }
  return std::nullopt;
}

/// The files the run writes besides its summary.
struct SimOutputs {
  std::ofstream eve;
  PcapWriter pass_w, drop_w;
};

Step open_outputs(const SimArgs& a, SimOutputs& o) {
  if (!a.eve_path.empty()) {
    o.eve.open(a.eve_path, std::ios::trunc);
    if (!o.eve) {
      std::cerr << "dejfa sim: cannot write " << a.eve_path << "\n";
      return kExitIo;
    }
  }
  std::string err;
  if (!a.pass_path.empty() && !o.pass_w.open(a.pass_path, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }
  if (!a.drop_path.empty() && !o.drop_w.open(a.drop_path, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }
  return std::nullopt;
}

/// Judges every frame with the engine: the Verilated core (run_rtl, the model in lock-step), or
/// the model of the epoch in force, the script's operations applied before their packets. A
/// progress line only where a person watches: on a terminal, and not with -q (in a log or a CI
/// transcript the carriage returns pile up into one long line).
Step judge_frames(const SimArgs& a, const Policy& pol, const std::vector<CapturedFrame>& frames,
                  std::vector<Epoch>& epochs, const std::vector<TuneOp>& ops,
                  std::chrono::steady_clock::time_point t0, std::vector<Judged>& judged,
                  RtlStats& st) {
  const bool progress = !a.in.quiet && isatty(STDERR_FILENO) != 0;
  std::chrono::milliseconds progress_first{2000}, progress_every{1000};
  if (const char* e = std::getenv("DEJFA_PROGRESS_MS"); e != nullptr && *e != '\0') {
    progress_first = progress_every = std::chrono::milliseconds(std::strtoul(e, nullptr, 10));
  }
  if (a.rtl) {
    RtlOptions ro;
    ro.seed = a.seed;
    ro.progress = progress;
    ro.progress_first = progress_first;
    ro.progress_every = progress_every;
    ro.check = !a.no_check;
    ro.trace = a.trace_path;
    ro.in_bubbles = a.in_bubbles;
    ro.out_busy = a.out_busy;
    ro.pol = pol;
    ro.overflow_drop = a.overflow_drop;
    try {
      if (const int rc = run_rtl(*a.cfg, frames, epochs, ops, ro, judged, st); rc != kExitOk) {
        return rc;
      }
    } catch (const DriverError& ex) {  // the Verilated core misbehaved, as a card would
      std::cerr << "dejfa sim: " << ex.what() << "\n";
      return kExitDevice;
    } catch (const std::exception& ex) {  // a bug: README's exit 1
      std::cerr << "dejfa sim: internal error: " << ex.what() << "\n";
      return kExitInternal;
    }
    return std::nullopt;
  }
  judged.resize(frames.size());
  auto last_progress = t0;
  std::size_t op = 0;
  try {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      while (op < ops.size() && ops[op].at <= i + 1) {
        epochs.push_back(apply_tune(epochs.back(), ops[op++], pol));
      }
      judged[i].epoch = epochs.size() - 1;
      judged[i].v = epochs.back().judge(decode(frames[i].frame, a.lim), frames[i].frame);
      const auto now = std::chrono::steady_clock::now();
      if (progress && now - t0 >= progress_first && now - last_progress >= progress_every) {
        last_progress = now;
        std::cerr << "\r  " << i << " packets..." << std::flush;
      }
    }
  } catch (const std::exception& ex) {  // a bug (the script's sids were checked): exit 1
    std::cerr << "dejfa sim: internal error: " << ex.what() << "\n";
    return kExitInternal;
  }
  if (last_progress != t0) std::cerr << "\n";
  return std::nullopt;
}

/// Counters per rule (by gid:sid across epochs, in first-seen order, with the action in force
/// last) and the global ones.
struct Tally {
  std::vector<RuleMeta> rules;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> rule_at;
  std::vector<RuleCount> counts;
  std::uint64_t rx_bytes = 0, passed = 0, dropped = 0, alert_pkts = 0, alerts = 0;
  std::uint64_t malformed = 0, non_ip = 0, overflow = 0;

  std::size_t slot(const RuleMeta& m) {
    auto [it, fresh] = rule_at.emplace(std::make_pair(m.gid, m.sid), rules.size());
    if (fresh) {
      rules.push_back(m);
      counts.emplace_back();
    }
    rules[it->second].action = m.action;  // the action in force last
    return it->second;
  }
};

/// One EVE alert record: alert.action as Suricata's AlertJsonHeader in IPS mode (dejfa is
/// inline); category the classtype's description ("" when Suricata's classification has no such
/// classtype); severity the rule's priority (keyword, else classtype, else 3).
Json eve_alert(const Json& head, const RuleMeta& m) {
  Json rec = head;
  const bool blocks = m.action == Action::Drop || m.action == Action::Reject;
  const Classtype* ct = find_classtype(m.classtype);
  Json& al = rec["alert"];
  al["action"] = blocks ? "blocked" : "allowed";
  al["gid"] = m.gid;
  al["signature_id"] = m.sid;
  al["rev"] = m.rev;
  al["signature"] = json_str(m.msg);
  al["category"] = ct != nullptr ? ct->description : "";
  al["severity"] = m.priority;
  return rec;
}

/// Counts every frame's verdict, and writes its EVE records and its frame to the pass or drop
/// capture.
void account(const SimArgs& a, const std::vector<CapturedFrame>& frames,
             const std::vector<Epoch>& epochs, const std::vector<Judged>& judged, SimOutputs& o,
             Tally& t) {
  for (const auto& e : epochs) {
    for (const auto& m : e.meta) {
      if (m.sid != 0) t.slot(m);  // sid 0: an image's id without a rule (format 3)
    }
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const CapturedFrame& cf = frames[i];
    const Judged& j = judged[i];
    const Epoch& e = epochs[j.epoch];
    const Verdict& v = j.v;
    t.rx_bytes += cf.frame.size();
    const Packet p = decode(cf.frame, a.lim);
    if (v.malformed != Malformed::None) ++t.malformed;
    if (!p.ip && v.malformed == Malformed::None) ++t.non_ip;
    if (j.overflow) ++t.overflow;
    for (auto r : v.matched) {
      auto& c = t.counts[t.slot(e.meta[r])];
      ++c.packets;
      c.bytes += cf.frame.size();
    }
    if (!v.alerted.empty()) ++t.alert_pkts;
    // The timestamp and packet part of the EVE records, once per packet, not once per alert.
    Json eve_head;
    if (o.eve.is_open() && !v.alerted.empty()) {
      eve_head["timestamp"] = eve_time(cf.ts_ns);
      eve_packet(eve_head, p, i);
    }
    for (auto r : v.alerted) {
      ++t.counts[t.slot(e.meta[r])].alerts;
      ++t.alerts;
      if (o.eve.is_open()) o.eve << json_line(eve_alert(eve_head, e.meta[r]));
    }
    PcapWriter& w = v.drop ? o.drop_w : o.pass_w;
    (v.drop ? t.dropped : t.passed) += 1;
    if (!(v.drop ? a.drop_path : a.pass_path).empty()) {
      (void)w.write(cf.ts_ns, cf.frame.data(), static_cast<std::uint32_t>(cf.frame.size()),
                    static_cast<std::uint32_t>(cf.frame.size()));  // checked at close
    }
  }
}

/// The hardware's own counters (read through the snapshot) must say the same as the frames.
Step check_hw_counters(const SimArgs& a, std::size_t nframes, const std::vector<Epoch>& epochs,
                       const std::vector<TuneOp>& ops, const RtlStats& st, Tally& t) {
  if (!a.rtl || !st.hw || a.no_check || st.oversize != 0) return std::nullopt;
  const auto& g = st.hw->global;
  const std::uint64_t exp[] = {nframes,      t.rx_bytes,  t.passed,  t.dropped,
                               t.alert_pkts, t.malformed, t.overflow};
  for (std::size_t k = 0; k < hw::kGcntN; ++k) {
    if (g[k] != exp[k]) {
      std::cerr << "dejfa sim: hardware counter " << hw::kGcntNames[k] << " is " << g[k]
                << ", the frames' verdicts say " << exp[k] << " (seed " << a.seed << ")\n";
      return kExitMismatch;
    }
  }
  const bool one_image =
      std::none_of(ops.begin(), ops.end(), [](const TuneOp& o) { return o.kind == TuneOp::Load; });
  for (std::size_t id = 0; one_image && id < st.hw->packets.size(); ++id) {
    // The hardware counts by rule id; an id without a rule must have counted nothing.
    const Epoch& e = epochs[0];
    const std::size_t r = e.rule_of_id.empty() ? id : e.rule_of_id[id];
    const bool none = r >= e.meta.size() || e.meta[r].sid == 0;
    const RuleCount zero{};
    const auto& c = none ? zero : t.counts[t.slot(e.meta[r])];
    if (st.hw->packets[id] != c.packets || st.hw->bytes[id] != c.bytes) {
      std::cerr << "dejfa sim: hardware counters of "
                << (none ? "rule id " + std::to_string(id) + " (no rule)"
                         : "sid " + std::to_string(e.meta[r].sid))
                << " say " << st.hw->packets[id] << " packets / " << st.hw->bytes[id]
                << " bytes, the frames' verdicts " << c.packets << " / " << c.bytes << " (seed "
                << a.seed << ")\n";
      return kExitMismatch;
    }
  }
  return std::nullopt;
}

/// The summary on stdout: totals, the core's figures with the RTL engine, and the rules that
/// matched.
void print_summary(const SimArgs& a, std::size_t nframes, const std::vector<Epoch>& epochs,
                   const RtlStats& st, const Tally& t, double secs) {
  const std::size_t nrules = epochs.back().meta.size();
  std::printf("dejfa sim: engine %s%s, configuration %s, %zu rules, %s\n", a.engine.c_str(),
              a.rtl ? (a.no_check ? " (Verilated core)" : " (Verilated core, model in lock-step)")
                    : (epochs[0].im ? " (image model)" : " (reference model)"),
              std::string(a.cfg->name).c_str(), nrules, a.pcap.c_str());
  std::printf("  packets     %10zu  (%llu bytes)\n", nframes,
              static_cast<unsigned long long>(t.rx_bytes));
  std::printf("  passed      %10llu\n", static_cast<unsigned long long>(t.passed));
  std::printf("  dropped     %10llu\n", static_cast<unsigned long long>(t.dropped));
  std::printf("  alerts      %10llu  (on %llu packets)\n",
              static_cast<unsigned long long>(t.alerts),
              static_cast<unsigned long long>(t.alert_pkts));
  std::printf("  malformed   %10llu\n", static_cast<unsigned long long>(t.malformed));
  std::printf("  not IP      %10llu\n", static_cast<unsigned long long>(t.non_ip));
  if (a.rtl) {
    const double clk = a.cfg->clk_khz * 1e3;
    const auto cyc = static_cast<double>(st.cycles);
    const double bpc = cyc > 0 ? static_cast<double>(st.beats_in) / cyc : 0.0;
    std::printf("  overflow    %10llu  (inspection abandoned; policy: %s)\n",
                static_cast<unsigned long long>(t.overflow), a.overflow_drop ? "drop" : "pass");
    if (!a.no_check && t.overflow != 0) {
      std::printf(
          "              %10llu  of them checked against the policy only (the model's "
          "verdict is not theirs)\n",
          static_cast<unsigned long long>(st.overflow_checked));
    }
    if (st.oversize != 0) {
      std::printf("  oversize    %10llu  (over %zu bytes: judged by the model, not sent)\n",
                  static_cast<unsigned long long>(st.oversize), kFrameMaxB);
    }
    std::printf(
        "  cycles      %10llu  (%llu input stall cycles; table load %llu cycles, %llu "
        "writes)\n",
        static_cast<unsigned long long>(st.cycles),
        static_cast<unsigned long long>(st.stall_cycles),
        static_cast<unsigned long long>(st.load_cycles),
        static_cast<unsigned long long>(st.load_writes));
    std::printf("  throughput  %10.3f beats/cycle = %.2f Gbps, %.3f Mpps at %.2f MHz\n", bpc,
                bpc * a.cfg->data_w * clk / 1e9,
                cyc > 0 ? static_cast<double>(st.frames) / cyc * clk / 1e6 : 0.0, clk / 1e6);
    std::printf("  seed        %10llu\n", static_cast<unsigned long long>(a.seed));
  }
  std::printf("  time        %10.3f s  (%.3f Mpps in software)\n", secs,
              secs > 0 ? static_cast<double>(nframes) / secs / 1e6 : 0.0);
  using A = TextTable::Align;
  TextTable tt;
  tt.column("sid", A::Left).column("action", A::Left).column("packets").column("bytes");
  tt.column("alerts").column("msg", A::Left);
  for (std::size_t i = 0; i < t.rules.size(); ++i) {
    if (t.counts[i].packets == 0) continue;
    tt.row({std::to_string(t.rules[i].sid), action_name(t.rules[i].action),
            std::to_string(t.counts[i].packets), std::to_string(t.counts[i].bytes),
            std::to_string(t.counts[i].alerts), t.rules[i].msg});
  }
  std::printf("\n%s", tt.str("  ").c_str());
}

/// Every output reached its file, or the run fails (a full disk, a closed pipe): data that
/// other tools read is never silently short.
Step close_outputs(const SimArgs& a, SimOutputs& o) {
  for (auto* w : {&o.pass_w, &o.drop_w}) {
    if (!w->close()) {
      std::cerr << "dejfa sim: cannot write " << w->error() << "\n";
      return kExitIo;
    }
  }
  if (o.eve.is_open() && !o.eve.flush()) {
    std::cerr << "dejfa sim: cannot write " << a.eve_path << "\n";
    return kExitIo;
  }
  return std::nullopt;
}

/// --counters: the per-rule and global counters and the run's figures as one JSON document.
Step write_counters(const SimArgs& a, std::size_t nframes, const std::vector<Epoch>& epochs,
                    const RtlStats& st, const Tally& t, double secs) {
  if (a.counters_path.empty()) return std::nullopt;
  Json doc;
  Json& jr = doc["rules"] = Json::array();
  for (std::size_t i = 0; i < t.rules.size(); ++i) {
    const auto& m = t.rules[i];
    Json r;
    r["sid"] = m.sid;
    r["gid"] = m.gid;
    r["rev"] = m.rev;
    r["msg"] = json_str(m.msg);
    r["action"] = action_name(m.action);
    r["packets"] = t.counts[i].packets;
    r["bytes"] = t.counts[i].bytes;
    r["alerts"] = t.counts[i].alerts;
    jr.push_back(std::move(r));
  }
  Json& g = doc["global"];
  g["rx_pkts"] = nframes;
  g["rx_bytes"] = t.rx_bytes;
  g["pass_pkts"] = t.passed;
  g["drop_pkts"] = t.dropped;
  g["alert_pkts"] = t.alert_pkts;
  g["malformed_pkts"] = t.malformed;
  g["overflow_pkts"] = t.overflow;
  Json& sm = doc["sim"];
  sm["engine"] = a.engine;
  sm["model"] = a.rtl ? "rtl" : (epochs[0].im ? "image" : "reference");
  sm["config"] = a.cfg->name;
  sm["seconds"] = secs;
  if (a.rtl) {
    sm["cycles"] = st.cycles;
    sm["stall_cycles"] = st.stall_cycles;
    sm["beats_in"] = st.beats_in;
    sm["oversize"] = st.oversize;
    sm["seed"] = a.seed;
    sm["checked"] = !a.no_check;
    sm["overflow_policy_checked"] = st.overflow_checked;
  }
  std::ofstream c(a.counters_path, std::ios::trunc);
  c << json_line(doc);
  if (!c.flush()) {
    std::cerr << "dejfa sim: cannot write " << a.counters_path << "\n";
    return kExitIo;
  }
  return std::nullopt;
}

}  // namespace

int cmd_sim(std::span<const std::string> args) {
  SimArgs a;
  if (const Step s = sim_args(args, a)) return *s;
  Policy pol;
  pol.malformed_drop = a.malformed_drop;
  std::vector<Epoch> epochs(1);
  std::vector<TuneOp> ops;
  std::vector<CapturedFrame> frames;
  SimOutputs out;
  if (const Step s = first_epoch(a, pol, epochs[0])) return *s;
  if (const Step s = tune_ops(a, epochs[0], ops)) return *s;
  if (const Step s = read_capture(a.pcap, frames)) return *s;
  if (const Step s = open_outputs(a, out)) return *s;
  std::vector<Judged> judged;
  RtlStats st;
  const auto t0 = std::chrono::steady_clock::now();
  if (const Step s = judge_frames(a, pol, frames, epochs, ops, t0, judged, st)) return *s;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Tally t;
  account(a, frames, epochs, judged, out, t);
  if (const Step s = check_hw_counters(a, frames.size(), epochs, ops, st, t)) return *s;
  print_summary(a, frames.size(), epochs, st, t, secs);
  if (const Step s = close_outputs(a, out)) return *s;
  if (const Step s = write_counters(a, frames.size(), epochs, st, t, secs)) return *s;
  return kExitOk;
}

}  // namespace dejfa::cli
