// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_hdr_path: version 3's header classification from a parser descriptor to the wide slots'
 * header match and the 8 verify lanes (docs/ARCHITECTURE.md section 6, "The swap in the core";
 * docs/IMAGE.md section 4). The three blocks in a row, with one table-write port for all of
 * their tables (hw/dejfa_regs.toml [[rtable]] ids, as dejfa_rec_port delivers them):
 *
 *   dejfa_addr_class  (2 L cycles, L = log2 ACLS_N)  source and destination address classes
 *   dejfa_hdr_wide    (3)   spec vector; wide slots' header match  -> w_* (latency 2 L + 3)
 *   dejfa_hdr_verify  (5)   8 lanes {hit, group, GROUP_EN}         -> m_* (latency 2 L + 8)
 *                     (3)   the header descriptor                  -> d_* (latency 2 L + 6)
 *
 * A packet reads the bank named when it enters (act_bank) in all three blocks. Ports count
 * (TCP or UDP, not a fragment: version 1's rule) in both the wide block and the lanes.
 *
 * Table writes: ADDR_BOUNDS entry i (0 .. ACLS_N - 1) sets the bank's boundary count to i + 1
 * and, for i > 0, writes boundary i (entry 0 is {IPv4, ::} and implicit); a loader writes the
 * entries ascending, so the count ends at the table's size. Entries of ADDR_BOUNDS at or beyond
 * ACLS_N are dropped. ADDR_REC, PORT_CLS, PORT_REC, GROUP_REC and GROUP_EN go to the verify
 * lanes, the rest to the wide block (which ignores table ids that are not its own).
 *
 * A reset drops the packets in flight and empties both banks' boundary counts (every address in
 * class 0, as after power-up); the other tables keep their contents. IMAGE_TAG reads 0 after a
 * reset and the driver loads an image again.
 */
module dejfa_hdr_path #(
  /// address classes (ADDR_CLS_N): a power of two, 4 .. 32768
  parameter int unsigned ACLS_N = 64,
  /// port classes including class 0 (no ports): a power of two, 4 .. 65536
  parameter int unsigned PCLS_N = 64,
  /// header groups (GROUPS_N): a power of two, 4 .. 16384
  parameter int unsigned GROUPS_N = 64,
  /// small-field specs (SPEC_N): a power of two, 64 .. 1024
  parameter int unsigned SPEC_N = 64,
  /// wide slots (WIDE_N): a power of two, 64 .. 4096
  parameter int unsigned WIDE_N = 64,
  /// wide classes per kind (WCLS_N): a power of two, 2 .. 4096
  parameter int unsigned WCLS_N = 16,
  /// classes per small field (CLS_N): a power of two, 2 .. 256
  parameter int unsigned CLS_N = 16,
  /// payload-size boundaries (DSIZEB_N), 1 .. 254
  parameter int unsigned DSIZEB_N = 8,
  /// width of the fields carried beside a packet, at least 1
  parameter int unsigned SIDE_W = 1,
  /// the wide block's row memories ("block"; "distributed" for LUTRAM)
  parameter ROW_STYLE = "block",
  localparam int unsigned AL = $clog2(ACLS_N),
  localparam int unsigned GL = $clog2(GROUPS_N),
  localparam int unsigned LANES = 8,
  localparam int unsigned ENW = dejfa_regs_pkg::GROUP_EN_W,
  localparam int unsigned MAXW = dejfa_regs_pkg::RT_MAX_WORDS
) (
  input  wire logic                   clk,
  input  wire logic                   rst,
  /// table writes, one a cycle: entry tw_idx of table tw_tbl (dejfa_regs_pkg::RT_*) of bank
  /// tw_bank; the record in tw_data's low bits (dejfa_rec_port's tw_data)
  input  wire logic                   tw_en,
  input  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] tw_tbl,
  input  wire logic                   tw_bank,
  input  wire logic [15:0]            tw_idx,
  /// the entries of tw_idx's aligned group of RT_FILL_LANES written: more than entry tw_idx only
  /// in a fill of a table marked fill_lanes (PORT_CLS, WCLS_PORT; dejfa_rec_port's tw_lanes)
  input  wire logic [dejfa_regs_pkg::RT_FILL_LANES-1:0] tw_lanes,
  input  wire logic [32*MAXW-1:0]     tw_data,
  /// the bank packets entering now read
  input  wire logic                   act_bank,
  /// a packet's descriptor as the parser gives it (addresses with IPv4 in bits 31:0; l4: 0 none,
  /// 1 TCP, 2 UDP, 3 ICMP, 4 ICMPv6; frag: any fragment)
  input  wire logic                   s_valid,
  input  wire logic                   s_ip,
  input  wire logic                   s_v6,
  input  wire logic [127:0]           s_src,
  input  wire logic [127:0]           s_dst,
  input  wire logic                   s_frag,
  input  wire logic [2:0]             s_l4,
  input  wire logic [7:0]             s_proto,
  input  wire logic [7:0]             s_ttl,
  input  wire logic [15:0]            s_sport,
  input  wire logic [15:0]            s_dport,
  input  wire logic [7:0]             s_tcp_flags,
  input  wire logic [7:0]             s_icmp_type,
  input  wire logic [7:0]             s_icmp_code,
  input  wire logic                   s_payload_valid,
  input  wire logic [15:0]            s_payload_len,
  input  wire logic [SIDE_W-1:0]      s_side,
  /// the packet of 2 L + 3 cycles ago: the header match of every wide slot
  output logic                        w_valid,
  output logic [WIDE_N-1:0]           w_wide,
  output logic [SIDE_W-1:0]           w_side,
  /// the packet of 2 L + 8 cycles ago: per lane, whether its group matched, the group, and the
  /// group's GROUP_EN record
  output logic                        m_valid,
  output logic [LANES-1:0]            m_hit,
  output logic [LANES*GL-1:0]         m_group,
  output logic [LANES*ENW-1:0]        m_en,
  output logic [SIDE_W-1:0]           m_side,
  /// the packet of 2 L + 6 cycles ago: its header descriptor (dejfa_hdr_verify's d_*: ip, the
  /// four class ids, their complex-set bits, the spec vector), for the content candidates' lanes
  output logic                        d_valid,
  output logic                        d_ip,
  output logic [15:0]                 d_src,
  output logic [15:0]                 d_dst,
  output logic [16:0]                 d_sport,
  output logic [16:0]                 d_dport,
  output logic [4*64-1:0]             d_cset,
  output logic [SPEC_N-1:0]           d_spec,
  output logic [SIDE_W-1:0]           d_side
);
  // ------------------------------------------------------------------ table writes
  wire logic tw_bounds = tw_en && tw_tbl == dejfa_regs_pkg::RT_ADDR_BOUNDS &&
                         {16'd0, tw_idx} < 32'(ACLS_N);

  // ------------------------------------------------------------------ address classes
  // Beside the keys: the bank and every field the later blocks read.
  typedef struct packed {
    logic              bank;
    logic              ip;
    logic              ports;
    logic              v6;
    logic [2:0]        l4;
    logic [7:0]        proto;
    logic [7:0]        ttl;
    logic [15:0]       sport;
    logic [15:0]       dport;
    logic [7:0]        tcp_flags;
    logic [7:0]        icmp_type;
    logic [7:0]        icmp_code;
    logic              payload_valid;
    logic [15:0]       payload_len;
    logic [SIDE_W-1:0] side;
  } a_side_t;
  a_side_t a_in;
  a_side_t a_out;
  localparam int unsigned ASW = $bits(a_in);
  assign a_in.bank          = act_bank;
  assign a_in.ip            = s_ip;
  assign a_in.ports         = s_ip && (s_l4 == 3'd1 || s_l4 == 3'd2) && !s_frag;
  assign a_in.v6            = s_v6;
  assign a_in.l4            = s_l4;
  assign a_in.proto         = s_proto;
  assign a_in.ttl           = s_ttl;
  assign a_in.sport         = s_sport;
  assign a_in.dport         = s_dport;
  assign a_in.tcp_flags     = s_tcp_flags;
  assign a_in.icmp_type     = s_icmp_type;
  assign a_in.icmp_code     = s_icmp_code;
  assign a_in.payload_valid = s_payload_valid;
  assign a_in.payload_len   = s_payload_len;
  assign a_in.side          = s_side;

  logic          a_valid;
  logic [AL-1:0] a_cls_s, a_cls_d;
  logic [ASW-1:0] a_side_bits;
  dejfa_addr_class #(.CLS_N(ACLS_N), .SIDE_W(ASW)) u_addr (
    .clk, .rst,
    .tw_valid(tw_bounds && tw_idx != '0), .tw_bank, .tw_idx(tw_idx[AL-1:0]),
    .tw_key(tw_data[128:0]),
    .cnt_valid(tw_bounds), .cnt_bank(tw_bank), .cnt_n((AL+1)'(tw_idx[AL-1:0]) + 1'b1),
    .act_bank,
    .s_valid, .s_key_a({s_v6, s_src}), .s_key_b({s_v6, s_dst}), .s_side(a_in),
    .m_valid(a_valid), .m_cls_a(a_cls_s), .m_cls_b(a_cls_d), .m_side(a_side_bits)
  );
  assign a_out = a_side_bits;

  // ------------------------------------------------------------------ spec vector, wide slots
  typedef struct packed {
    logic              bank;
    logic              ip;
    logic              ports;
    logic [AL-1:0]     cls_s;
    logic [AL-1:0]     cls_d;
    logic [15:0]       sport;
    logic [15:0]       dport;
    logic [SIDE_W-1:0] side;
  } b_side_t;
  b_side_t b_in;
  b_side_t b_out;
  localparam int unsigned BSW = $bits(b_in);
  assign b_in.bank  = a_out.bank;
  assign b_in.ip    = a_out.ip;
  assign b_in.ports = a_out.ports;
  assign b_in.cls_s = a_cls_s;
  assign b_in.cls_d = a_cls_d;
  assign b_in.sport = a_out.sport;
  assign b_in.dport = a_out.dport;
  assign b_in.side  = a_out.side;

  logic [SPEC_N-1:0] b_spec;
  logic [BSW-1:0]    b_side_bits;
  dejfa_hdr_wide #(
    .ACLS_N(ACLS_N), .SPEC_N(SPEC_N), .WIDE_N(WIDE_N), .WCLS_N(WCLS_N), .CLS_N(CLS_N),
    .DSIZEB_N(DSIZEB_N), .SIDE_W(BSW), .ROW_STYLE(ROW_STYLE)
  ) u_wide (
    .clk, .rst,
    .tw_en, .tw_tbl, .tw_bank, .tw_idx, .tw_lanes, .tw_data(tw_data[63:0]),
    .act_bank(a_out.bank),
    .s_valid(a_valid), .s_ip(a_out.ip), .s_acls_s(a_cls_s), .s_acls_d(a_cls_d),
    .s_ports(a_out.ports), .s_sport(a_out.sport), .s_dport(a_out.dport), .s_v6(a_out.v6),
    .s_l4(a_out.l4), .s_proto(a_out.proto), .s_ttl(a_out.ttl), .s_tcp_flags(a_out.tcp_flags),
    .s_icmp_type(a_out.icmp_type), .s_icmp_code(a_out.icmp_code),
    .s_payload_valid(a_out.payload_valid), .s_payload_len(a_out.payload_len),
    .s_side(b_in),
    .m_valid(w_valid), .m_spec(b_spec), .m_wide(w_wide), .m_side(b_side_bits)
  );
  assign b_out = b_side_bits;
  assign w_side = b_out.side;

  // ------------------------------------------------------------------ verify lanes
  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] t = tw_tbl;
  dejfa_hdr_verify #(
    .ACLS_N(ACLS_N), .PCLS_N(PCLS_N), .GROUPS_N(GROUPS_N), .SPEC_N(SPEC_N), .SIDE_W(SIDE_W)
  ) u_verify (
    .clk, .rst,
    .tw_addr_rec(tw_en && t == dejfa_regs_pkg::RT_ADDR_REC),
    .tw_port_cls(tw_en && t == dejfa_regs_pkg::RT_PORT_CLS),
    .tw_port_rec(tw_en && t == dejfa_regs_pkg::RT_PORT_REC),
    .tw_group_rec(tw_en && t == dejfa_regs_pkg::RT_GROUP_REC),
    .tw_group_en(tw_en && t == dejfa_regs_pkg::RT_GROUP_EN),
    .tw_bank, .tw_idx, .tw_lanes, .tw_data(tw_data[dejfa_regs_pkg::GROUP_REC_W-1:0]),
    .act_bank(b_out.bank),
    .s_valid(w_valid), .s_ip(b_out.ip), .s_acls_s(b_out.cls_s), .s_acls_d(b_out.cls_d),
    .s_ports(b_out.ports), .s_sport(b_out.sport), .s_dport(b_out.dport), .s_spec(b_spec),
    .s_side(b_out.side),
    .m_valid, .m_hit, .m_group, .m_en, .m_side,
    .d_valid, .d_ip, .d_src, .d_dst, .d_sport, .d_dport, .d_cset, .d_spec, .d_side
  );

  // The words above the widest record these blocks take (GROUP_REC) have no reader.
  if (32 * MAXW > dejfa_regs_pkg::GROUP_REC_W) begin : g_unused
    wire logic unused_hi = ^tw_data[32*MAXW-1:dejfa_regs_pkg::GROUP_REC_W];
  end
  // A write always holds entry tw_idx, and only the fill-lane tables take more than that entry.
  localparam int unsigned LB = $clog2(dejfa_regs_pkg::RT_FILL_LANES);
  `DEJFA_ASSERT(WriteHoldsItsEntry_A, !tw_en || tw_lanes[tw_idx[LB-1:0]], clk, rst)
  `DEJFA_ASSERT(OnlyFillTablesTakeLanes_A,
                !tw_en || dejfa_regs_pkg::RT_WIDE_FILL[tw_tbl] ||
                tw_lanes == dejfa_regs_pkg::RT_FILL_LANES'(1 << tw_idx[LB-1:0]), clk, rst)
  `DEJFA_ASSERT(BoundsEntryZeroIsV4Zero_A, !(tw_bounds && tw_idx == '0) || tw_data[128:0] == '0,
                clk, rst)
endmodule

`resetall
`default_nettype wire
