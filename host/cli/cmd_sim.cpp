// SPDX-License-Identifier: Apache-2.0
//
// dejfa gen: write a capture of realistic mixed traffic.
// dejfa sim: replay a capture through an engine and report like Suricata would: summary,
// per-rule table, counters JSON, EVE JSON alerts, pcaps of passed and dropped frames.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>

#include "cli.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/image.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/trafficgen.hpp"

namespace dejfa::cli {

namespace {

std::string json_str(std::string_view s) {
  std::string o = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

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

const char* eve_proto(const Packet& p) {
  switch (p.l4) {
    case Packet::L4::Tcp:
      return "TCP";
    case Packet::L4::Udp:
      return "UDP";
    case Packet::L4::Icmp4:
      return "ICMP";
    case Packet::L4::Icmp6:
      return "IPv6-ICMP";
    case Packet::L4::None:
      break;
  }
  return nullptr;
}

struct RuleMeta {
  std::uint32_t sid, gid, rev, priority;
  Action action;
  std::string msg, classtype;
};

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
    w.write(f.ts_ns, f.frame.data(), static_cast<std::uint32_t>(f.frame.size()),
            static_cast<std::uint32_t>(f.frame.size()));
    bytes += f.frame.size();
  }
  w.close();
  std::cerr << "wrote " << output << ": " << frames.size() << " frames, " << bytes
            << " bytes (seed " << go.seed << ")\n";
  return kExitOk;
}

int cmd_sim(std::span<const std::string> args) {
  RuleInputs in;
  std::string image_path, pcap, engine = "ref", config = "10g";
  std::string counters_path, eve_path, pass_path, drop_path;
  bool malformed_drop = false;
  po::options_description opts(
      "dejfa sim (--rules FILE... | --image IMAGE) --pcap IN [options]: replay a capture");
  opts.add_options()("help,h", "show this help")("rules,r", po::value(&in.files)->composing(),
                                                 "rule files")(
      "image", po::value(&image_path), "a compiled rule image instead of rules")(
      "pcap", po::value(&pcap), "capture to replay (pcap or pcapng)")(
      "config,c", po::value(&config)->default_value(config), "hardware configuration")(
      "engine", po::value(&engine)->default_value(engine),
      "ref: the reference model (with --image: the image model); rtl: the Verilated core")(
      "counters", po::value(&counters_path), "write per-rule and global counters as JSON")(
      "eve", po::value(&eve_path), "write Suricata EVE JSON alert records")(
      "pass-pcap", po::value(&pass_path), "write the frames that passed")(
      "drop-pcap", po::value(&drop_path), "write the frames that were dropped")(
      "malformed-drop", po::bool_switch(&malformed_drop), "drop malformed frames (policy)");
  in.add_to(opts);
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  if (pcap.empty()) {
    std::cerr << "dejfa sim: --pcap is required\n";
    return kExitUsage;
  }
  if (image_path.empty() == in.files.empty()) {
    std::cerr << "dejfa sim: give either --rules or --image\n";
    return kExitUsage;
  }
  const hw::Config* cfg = find_config(config);
  if (cfg == nullptr) {
    std::cerr << "dejfa sim: unknown configuration '" << config << "'\n";
    return kExitUsage;
  }
  if (engine == "rtl") {
    std::cerr << "dejfa sim: the rtl engine needs the Verilated filter core, which is not built "
                 "yet (only the CSR and the header parser exist in hw/); use --engine ref\n";
    return kExitUsage;
  }
  if (engine != "ref") {
    std::cerr << "dejfa sim: unknown engine '" << engine << "' (ref, rtl)\n";
    return kExitUsage;
  }

  // The rules, as IR (reference model) or as a decoded image (image model).
  LoadResult lr;
  Image img;
  std::vector<RuleMeta> meta;
  std::unique_ptr<RefModel> ref;
  std::unique_ptr<ImageModel> im;
  Policy pol;
  pol.malformed_drop = malformed_drop;
  if (!in.files.empty()) {
    if (const int rc = load_rules(in, lr); rc != 0) return rc;
    for (const auto& r : lr.set.rules) {
      meta.push_back({r.sid, r.gid, r.rev, r.effective_priority(), r.action, r.msg, r.classtype});
    }
    DecodeLimits lim;
    lim.hdr_win_b = cfg->hdr_win_b;
    ref = std::make_unique<RefModel>(lr.set, lim, pol);
  } else {
    std::ifstream f(image_path, std::ios::binary);
    if (!f) {
      std::cerr << "dejfa sim: cannot open " << image_path << "\n";
      return kExitIo;
    }
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                          std::istreambuf_iterator<char>());
    std::string err;
    if (!decode(bytes, cfg, img, err)) {
      std::cerr << "dejfa sim: " << image_path << ": " << err << "\n";
      return kExitRules;
    }
    for (const auto& r : img.rules) {
      meta.push_back({r.sid, r.gid, r.rev, r.priority, r.action, r.msg, r.classtype});
    }
    im = std::make_unique<ImageModel>(img, pol);
  }

  PcapReader rd;
  std::string err;
  if (!rd.open(pcap, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }
  std::ofstream eve;
  if (!eve_path.empty()) {
    eve.open(eve_path, std::ios::trunc);
    if (!eve) {
      std::cerr << "dejfa sim: cannot write " << eve_path << "\n";
      return kExitIo;
    }
  }
  PcapWriter pass_w, drop_w;
  if (!pass_path.empty() && !pass_w.open(pass_path, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }
  if (!drop_path.empty() && !drop_w.open(drop_path, err)) {
    std::cerr << "dejfa sim: " << err << "\n";
    return kExitIo;
  }

  std::vector<RuleCount> counts(meta.size());
  std::uint64_t rx = 0, rx_bytes = 0, passed = 0, dropped = 0, alert_pkts = 0, alerts = 0;
  std::uint64_t malformed = 0, non_ip = 0;
  DecodeLimits lim;
  lim.hdr_win_b = cfg->hdr_win_b;
  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  CapturedFrame cf;
  while (rd.next(cf)) {
    ++rx;
    rx_bytes += cf.frame.size();
    const Packet p = decode(cf.frame, lim);
    const Verdict v = ref ? ref->judge(p, cf.frame) : im->judge(cf.frame);
    if (v.malformed != Malformed::None) ++malformed;
    if (!p.ip && v.malformed == Malformed::None) ++non_ip;
    for (auto i : v.matched) {
      ++counts[i].packets;
      counts[i].bytes += cf.frame.size();
    }
    if (!v.alerted.empty()) ++alert_pkts;
    for (auto i : v.alerted) {
      ++counts[i].alerts;
      ++alerts;
      if (eve.is_open()) {
        const RuleMeta& m = meta[i];
        std::string rec =
            "{\"timestamp\":" + json_str(eve_time(cf.ts_ns)) + ",\"event_type\":\"alert\"";
        if (p.ip) {
          rec += ",\"src_ip\":" + json_str(p.src.str()) + ",\"dest_ip\":" + json_str(p.dst.str());
          if (p.has_ports()) {
            rec += ",\"src_port\":" + std::to_string(p.sport) +
                   ",\"dest_port\":" + std::to_string(p.dport);
          }
          if (const char* pr = eve_proto(p)) {
            rec += ",\"proto\":" + json_str(pr);
          } else {
            rec += ",\"proto\":" + json_str(std::to_string(p.proto));
          }
        }
        const bool blocks = m.action == Action::Drop || m.action == Action::Reject;
        rec += ",\"alert\":{\"action\":" + json_str(blocks ? "blocked" : "allowed") +
               ",\"gid\":" + std::to_string(m.gid) + ",\"signature_id\":" + std::to_string(m.sid) +
               ",\"rev\":" + std::to_string(m.rev) + ",\"signature\":" + json_str(m.msg) +
               ",\"category\":" + json_str(m.classtype) +
               ",\"severity\":" + std::to_string(m.priority) + "}}\n";
        eve << rec;
      }
    }
    if (v.drop) {
      ++dropped;
      if (!drop_path.empty()) {
        drop_w.write(cf.ts_ns, cf.frame.data(), static_cast<std::uint32_t>(cf.frame.size()),
                     static_cast<std::uint32_t>(cf.frame.size()));
      }
    } else {
      ++passed;
      if (!pass_path.empty()) {
        pass_w.write(cf.ts_ns, cf.frame.data(), static_cast<std::uint32_t>(cf.frame.size()),
                     static_cast<std::uint32_t>(cf.frame.size()));
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - t0 > std::chrono::seconds(2) && now - last_progress > std::chrono::seconds(1)) {
      last_progress = now;
      std::cerr << "\r  " << rx << " packets..." << std::flush;
    }
  }
  if (!rd.error().empty()) {
    std::cerr << "dejfa sim: " << pcap << ": read error after " << rx << " packets: " << rd.error()
              << "\n";
    return kExitIo;
  }
  if (last_progress != t0) std::cerr << "\n";
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("dejfa sim: engine %s%s, configuration %s, %zu rules, %s\n", engine.c_str(),
              im ? " (image model)" : " (reference model)", std::string(cfg->name).c_str(),
              meta.size(), pcap.c_str());
  std::printf("  packets     %10llu  (%llu bytes)\n", static_cast<unsigned long long>(rx),
              static_cast<unsigned long long>(rx_bytes));
  std::printf("  passed      %10llu\n", static_cast<unsigned long long>(passed));
  std::printf("  dropped     %10llu\n", static_cast<unsigned long long>(dropped));
  std::printf("  alerts      %10llu  (on %llu packets)\n", static_cast<unsigned long long>(alerts),
              static_cast<unsigned long long>(alert_pkts));
  std::printf("  malformed   %10llu\n", static_cast<unsigned long long>(malformed));
  std::printf("  not IP      %10llu\n", static_cast<unsigned long long>(non_ip));
  std::printf("  time        %10.3f s  (%.3f Mpps in software)\n", secs,
              secs > 0 ? static_cast<double>(rx) / secs / 1e6 : 0.0);
  std::printf("\n  %-9s %-7s %9s %12s %8s  %s\n", "sid", "action", "packets", "bytes", "alerts",
              "msg");
  for (std::size_t i = 0; i < meta.size(); ++i) {
    if (counts[i].packets == 0) continue;
    std::printf("  %-9u %-7s %9llu %12llu %8llu  %s\n", meta[i].sid, action_name(meta[i].action),
                static_cast<unsigned long long>(counts[i].packets),
                static_cast<unsigned long long>(counts[i].bytes),
                static_cast<unsigned long long>(counts[i].alerts), meta[i].msg.c_str());
  }

  if (!counters_path.empty()) {
    std::ofstream c(counters_path, std::ios::trunc);
    c << "{\"rules\":[";
    for (std::size_t i = 0; i < meta.size(); ++i) {
      const auto& m = meta[i];
      c << (i == 0 ? "" : ",") << "{\"sid\":" << m.sid << ",\"gid\":" << m.gid
        << ",\"rev\":" << m.rev << ",\"msg\":" << json_str(m.msg)
        << ",\"action\":" << json_str(action_name(m.action)) << ",\"packets\":" << counts[i].packets
        << ",\"bytes\":" << counts[i].bytes << ",\"alerts\":" << counts[i].alerts << "}";
    }
    c << "],\"global\":{\"rx_pkts\":" << rx << ",\"rx_bytes\":" << rx_bytes
      << ",\"pass_pkts\":" << passed << ",\"drop_pkts\":" << dropped
      << ",\"alert_pkts\":" << alert_pkts << ",\"malformed_pkts\":" << malformed
      << ",\"overflow_pkts\":0},\"sim\":{\"engine\":" << json_str(engine)
      << ",\"model\":" << json_str(im ? "image" : "reference")
      << ",\"config\":" << json_str(cfg->name) << ",\"seconds\":" << secs << "}}\n";
    if (!c) {
      std::cerr << "dejfa sim: cannot write " << counters_path << "\n";
      return kExitIo;
    }
  }
  return kExitOk;
}

}  // namespace dejfa::cli
