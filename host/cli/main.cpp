// SPDX-License-Identifier: Apache-2.0
//
// dejfa: command-line front end. Each subcommand parses its own options; library code never
// prints or exits, this file maps results to output and exit codes.

#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "dejfa/gen/regs.hpp"

#include "cli.hpp"
#include "dejfa/anchor.hpp"
#include "dejfa/fileio.hpp"
#include "dejfa/hdr_index.hpp"
#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/texttable.hpp"

namespace po = boost::program_options;

namespace {

using namespace dejfa::cli;  // NOLINT(google-build-using-namespace): the CLI's own helpers

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string> args);
};

int cmd_check(std::span<const std::string> args) {
  RuleInputs in;
  po::options_description opts(
      "dejfa check [options] RULES...: parse rules and report every problem");
  opts.add_options()("help,h", "show this help")("rules", po::value(&in.files)->composing(),
                                                 "rule files (positional)");
  in.add_to(opts);
  const auto vm = parse_args(args, opts, "rules");
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  dejfa::LoadResult lr;
  if (const int rc = load_rules(in, lr); rc != 0) return rc;
  return kExitOk;
}

int cmd_configs(std::span<const std::string> args) {
  po::options_description opts("dejfa configs: list the hardware configurations");
  bool as_json = false;
  opts.add_options()("help,h", "show this help")("json", po::bool_switch(&as_json),
                                                 "print JSON instead of a table");
  const auto vm = parse_args(args, opts);
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  if (as_json) {
    Json list = Json::array();
    for (const auto& c : dejfa::hw::kConfigs) {
      Json j;
      j["name"] = c.name;
      j["data_w"] = c.data_w;
      j["rules_n"] = c.rules_n;
      j["lits_n"] = c.lits_n;
      j["lit_max_b"] = c.lit_max_b;
      j["hdr_win_b"] = c.hdr_win_b;
      j["cnt_w"] = c.cnt_w;
      j["clk_khz"] = c.clk_khz;
      list.push_back(std::move(j));
    }
    std::cout << json_line(list);
    return kExitOk;
  }
  using A = dejfa::TextTable::Align;
  dejfa::TextTable t;
  t.column("config", A::Left).column("DATA_W").column("RULES_N").column("LITS_N");
  t.column("LIT_MAX_B").column("clock MHz").column("description", A::Left);
  for (const auto& c : dejfa::hw::kConfigs) {
    char mhz[32];
    std::snprintf(mhz, sizeof mhz, "%.3f", static_cast<double>(c.clk_khz) / 1000.0);
    t.row({std::string(c.name), std::to_string(c.data_w), std::to_string(c.rules_n),
           std::to_string(c.lits_n), std::to_string(c.lit_max_b), mhz, std::string(c.desc)});
  }
  std::cout << t.str();
  return kExitOk;
}

int cmd_compile(std::span<const std::string> args) {
  RuleInputs in;
  std::string config = "100g";  // the cards' configuration (OpenNIC and Corundum at 100 GbE)
  std::string output;
  bool dump = false, list_anchors = false;
  unsigned format = dejfa::hw::kImageFormat;
  po::options_description opts(
      "dejfa compile [options] RULES...: compile rules into a rule image for a configuration");
  opts.add_options()("help,h", "show this help")("rules", po::value(&in.files)->composing(),
                                                 "rule files (positional)")(
      "config,c", po::value(&config)->default_value(config),
      "hardware configuration (100g: the cards; 10g; see dejfa configs)")(
      "output,o", po::value(&output), "write the rule image (.dfi) to this file")(
      "dump,d", po::bool_switch(&dump), "print what went into the tables (as tcpdump -d)")(
      "anchors", po::bool_switch(&list_anchors),
      "print every rule's content anchor, most frequent first (issue #25)")(
      "format", po::value(&format)->default_value(format),
      "image format: 3 (what the core loads: version 3's header tables, docs/IMAGE.md section "
      "4) or 2 (version 1's header tables, kept for the content blocks' unit tests)");
  in.add_to(opts);
  const auto vm = parse_args(args, opts, "rules");
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  const dejfa::hw::Config* cfg = find_config(config);
  if (cfg == nullptr) {
    std::cerr << "dejfa compile: unknown configuration '" << config << "' (see dejfa configs)\n";
    return kExitUsage;
  }
  if (format != 2 && format != 3) {
    std::cerr << "dejfa compile: --format takes 2 or 3, not " << format << "\n";
    return kExitUsage;
  }
  dejfa::LoadResult lr;
  if (const int rc = load_rules(in, lr); rc != 0) return rc;
  const auto res = dejfa::compile(lr.set, *cfg, format);
  const auto bytes = res.ok ? dejfa::encode(res.image) : std::vector<std::uint8_t>{};
  // Format 3 is loaded through the record port, not the TABLES window: no window row.
  std::cerr << dejfa::usage_report(res.usage, *cfg, format == 3 ? 0 : bytes.size());
  // The anchors the content filter will use (issue #25; the hardware does not use them yet).
  if (const auto anchors = dejfa::anchors_of(lr.set); !anchors.anchors.empty()) {
    std::cerr << dejfa::anchor_report(lr.set, anchors);
    if (list_anchors) std::cout << dejfa::anchor_list(lr.set, anchors);
  }
  for (const auto& d : res.diags) std::cerr << "dejfa compile: " << d.str() << "\n";
  if (!res.ok) return kExitCapacity;
  if (dump) std::cout << dejfa::dump(res.image);
  if (!output.empty()) {
    std::ofstream f(output, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    f.close();
    if (!f) {
      std::cerr << "dejfa compile: cannot write " << output << "\n";
      return kExitIo;
    }
    std::cerr << "wrote " << output << " (" << bytes.size() << " bytes, " << lr.set.rules.size()
              << " rules, configuration " << cfg->name << ", format " << format << ")\n";
  }
  return kExitOk;
}

int cmd_info(std::span<const std::string> args) {
  std::string image_path, device, shell, state_dir;
  po::options_description opts(
      "dejfa info [--image] FILE: describe a rule image\n"
      "dejfa info --device DEV: identify a card's core; its control, status, rules and counters");
  opts.add_options()("help,h", "show this help")("image", po::value(&image_path),
                                                 "rule image (.dfi) to describe")(
      "device,D", po::value(&device), "card: PCI address or file:PATH (see dejfa load --help)")(
      "shell", po::value(&shell), "opennic or corundum, when the card's PCI IDs do not say")(
      "state-dir", po::value(&state_dir), "where dejfa load keeps each card's image");
  const auto vm = parse_args(args, opts, "image");  // the image positional, as `load IMAGE`
  if (vm.count("help") != 0U) {
    std::cout << opts;
    return kExitOk;
  }
  if (!device.empty() && image_path.empty()) return device_info(device, shell, state_dir);
  if (image_path.empty() == device.empty()) {
    std::cerr << "dejfa info: give an image FILE or --device DEV\n";
    return kExitUsage;
  }
  std::vector<std::uint8_t> bytes;
  std::string err;
  if (!dejfa::read_file(image_path, dejfa::kImageFileMaxB, "rule image", bytes, err)) {
    std::cerr << "dejfa info: " << err << "\n";
    return kExitIo;
  }
  dejfa::Image img;
  // Describes format 2 too (version 1's header tables), which no core loads any more.
  const std::uint32_t format = bytes.size() > 8 && bytes[8] == 2 ? 2U : dejfa::hw::kImageFormat;
  if (!dejfa::decode_image(bytes, nullptr, img, err, format)) {
    std::cerr << "dejfa info: " << image_path << ": " << err << "\n";
    return kExitRules;
  }
  const auto* cfg = dejfa::config_of(img);
  std::uint32_t crc = 0;
  std::memcpy(&crc, &bytes[20], 4);
  std::size_t actions[4] = {0, 0, 0, 0};
  std::size_t nrules = 0;
  for (const auto& r : img.rules) {
    if (r.empty()) continue;
    ++actions[static_cast<std::size_t>(r.action)];
    ++nrules;
  }
  const auto lim = dejfa::hdr::Limits::of(*cfg);
  std::printf("%s: dejfa rule image, format %u, configuration %.*s, %zu bytes, CRC-32 %08x\n",
              image_path.c_str(), img.format, static_cast<int>(cfg->name.size()), cfg->name.data(),
              bytes.size(), crc);
  std::printf("  rules               %zu / %u  (alert %zu, drop %zu, reject %zu, pass %zu)\n",
              nrules, format == 3 ? cfg->rules_n + 2 * lim.groups_n : cfg->rules_n, actions[0],
              actions[2], actions[1], actions[3]);
  if (format == 3) {
    namespace rt = dejfa::hw::rtbl;
    std::printf("  header groups       %zu / %u\n", img.rt[rt::GROUP_REC].size(), lim.groups_n);
    std::printf("  address classes     %zu / %u\n", img.rt[rt::ADDR_BOUNDS].size(), lim.addr_cls_n);
    std::printf("  port classes        %zu / %u\n", img.rt[rt::PORT_REC].size(), lim.pcls_n);
  } else {
    std::printf("  address prefixes    %zu / %u\n", img.addr.size(), cfg->addr_n);
    std::printf("  port boundaries     %zu / %u\n", img.port_bounds.size(), cfg->portb_n);
    std::printf("  dsize boundaries    %zu / %u\n", img.dsize_bounds.size(), cfg->dsizeb_n);
  }
  std::printf("  literal pieces      %zu / %u\n", img.literals.size(), cfg->lits_n);
  std::printf("  content programs    %zu / %u\n", img.program.size(), cfg->cprog_n);
  for (std::size_t i = 0; i < dejfa::hw::kParamNames.size(); ++i) {
    std::printf("  param %-12.*s %u\n", static_cast<int>(dejfa::hw::kParamNames[i].size()),
                dejfa::hw::kParamNames[i].data(), img.params[i]);
  }
  return kExitOk;
}

// In workflow order: rules, image, traffic, replay; then the card.
constexpr Subcommand kSubcommands[] = {
    {"check", "parse rules: file:line:col diagnostics and a load summary", cmd_check},
    {"compile", "compile rules into a rule image; --dump shows the tables", cmd_compile},
    {"info", "describe a rule image (FILE) or a card's core (--device DEV)", cmd_info},
    {"configs", "list the hardware configurations this build knows", cmd_configs},
    {"gen", "write a capture of realistic mixed traffic", cmd_gen},
    {"sim", "replay a capture through an engine: summary, counters, EVE, pcaps", cmd_sim},
    {"devices", "list PCIe cards carrying a supported shell (OpenNIC, Corundum)", cmd_devices},
    {"load", "load a rule image into a card and commit it, hitlessly", cmd_load},
    {"counters", "a card's counters: table, json, prometheus; --watch for rates", cmd_counters},
    {"rule", "enable, disable or set the action of one rule on a running card", cmd_rule},
    {"simcard", "a virtual card: the Verilated core with traffic, for --device sim:SOCKET",
     cmd_simcard},
};

void usage(std::ostream& os) {
  os << "usage: dejfa <command> [options]\n\ncommands:\n";
  for (const auto& s : kSubcommands) {
    os << "  " << s.name << std::string(12 - s.name.size(), ' ') << s.summary << "\n";
  }
  os << "\nexamples, in workflow order (rule files positional or --rules; -r/--pcap a capture;\n"
        "the configuration 100g, the cards', unless --config says otherwise):\n"
        "  dejfa check --strict rules/dejfa-default.rules\n"
        "  dejfa compile -o default.dfi rules/dejfa-default.rules\n"
        "  dejfa info default.dfi\n"
        "  dejfa gen -o traffic.pcap -n 100000\n"
        "  dejfa sim -r traffic.pcap rules/dejfa-default.rules --eve eve.json\n"
        "  dejfa sim -r traffic.pcap --image default.dfi --engine rtl\n"
        "  dejfa load default.dfi --device 0000:3b:00.0\n"
        "  dejfa counters --device 0000:3b:00.0 --watch 1\n"
        "  dejfa rule action 9000301 drop --device 0000:3b:00.0\n"
        "\nexit status: 0 ok, 2 rule errors or a refused image, 3 over capacity, 4 a file\n"
        "unreadable, 5 the core and the model differ, 6 a card problem, 64 usage, 1 a bug.\n"
        "'dejfa <command> --help' shows a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "-h" || all[0] == "--help" || all[0] == "help") {
    usage(all.empty() ? std::cerr : std::cout);
    return all.empty() ? kExitUsage : kExitOk;
  }
  if (all[0] == "--version") {
    std::cout << "dejfa " << ((dejfa::hw::kCoreVersion >> 24) & 0xFFU) << "."
              << ((dejfa::hw::kCoreVersion >> 16) & 0xFFU) << "."
              << (dejfa::hw::kCoreVersion & 0xFFFFU) << " (register map), rule-image format "
              << dejfa::hw::kImageFormat << "\n";
    return kExitOk;
  }
  for (const auto& s : kSubcommands) {
    if (all[0] == s.name) {
      try {
        return s.run(std::span<const std::string>(all).subspan(1));
      } catch (const po::error& e) {
        std::cerr << "dejfa " << s.name << ": " << e.what() << "\n";
        return kExitUsage;
      } catch (const std::exception& e) {
        std::cerr << "dejfa " << s.name << ": error: " << e.what() << "\n";
        return 1;
      }
    }
  }
  std::cerr << "dejfa: unknown command '" << all[0] << "'\n\n";
  usage(std::cerr);
  return kExitUsage;
}
