// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_hdr_verify: class records and verify lanes of version 3's header index (docs/HARDWARE.md
 * "Class records and verify lanes", docs/IMAGE.md sections 4.2-4.3). A packet enters with its
 * source and destination address classes (dejfa_addr_class), its ports and its spec vector; five
 * cycles later 8 lanes say which of the header groups named by its classes' slots match it;
 * after three its header descriptor (classes, complex-set bits, spec vector) is shown for the
 * content candidates' lanes (dejfa_cand_check).
 *
 *   (0) ADDR_REC at both address classes; PORT_CLS at both ports
 *   (1) PORT_REC at both port classes (class 0 when the packet has no ports)
 *   (2) the 8 slots (2 per record, of the record's side): GROUP_REC of each, 4 copies x 2 ports;
 *       GROUP_EN of each, one copy per lane
 *   (3) per lane: each field in the group's ranges or complex set, forward and reversed; spec bit
 *   (4) hit = slot valid, ip, spec, and forward (a forward slot) or only reversed (a reversed slot)
 *
 * Lane 2 f + k is slot k of record f (0 source address, 1 destination address, 2 source port,
 * 3 destination port), of side f mod 2. Records are laid out as hw/dejfa_regs.toml's [[record]]
 * HDR_SLOT, CLASS_REC, GROUP_REC and GROUP_EN say.
 *
 * Two banks, each its own set of memories: a lookup reads the bank named when it enters all the
 * way through; writes (one entry a cycle, any table, any bank) use port A of the bank written, so
 * the loader, which writes the shadow bank, never disturbs lookups of the active one.
 */
module dejfa_hdr_verify #(
  /// address classes (ADDR_CLS_N): a power of two, 4 .. 32768
  parameter int unsigned ACLS_N = 64,
  /// port classes including class 0 (no ports): a power of two, 4 .. 65536
  parameter int unsigned PCLS_N = 64,
  /// header groups (GROUPS_N): a power of two, 4 .. 16384
  parameter int unsigned GROUPS_N = 64,
  /// small-field specs (SPEC_N): a power of two, 2 .. 1024
  parameter int unsigned SPEC_N = 64,
  /// width of the fields carried beside a packet, at least 1
  parameter int unsigned SIDE_W = 1,
  localparam int unsigned AL = $clog2(ACLS_N),
  localparam int unsigned PL = $clog2(PCLS_N),
  localparam int unsigned GL = $clog2(GROUPS_N),
  localparam int unsigned SL = $clog2(SPEC_N),
  localparam int unsigned LANES = 8
) (
  input  wire logic                   clk,
  input  wire logic                   rst,
  /// table writes, one a cycle: entry tw_idx of one table of bank tw_bank; tw_data's low bits
  /// (dejfa_regs_pkg::CLASS_REC_W for the records, PL for PORT_CLS)
  input  wire logic                   tw_addr_rec,
  input  wire logic                   tw_port_cls,
  input  wire logic                   tw_port_rec,
  input  wire logic                   tw_group_rec,
  /// GROUP_EN entry tw_idx of bank tw_bank (tw_data's low GROUP_EN_W bits): a write port apart
  /// from the lookups' read ports, so the driver may rewrite it in the active bank
  input  wire logic                   tw_group_en,
  input  wire logic                   tw_bank,
  input  wire logic [15:0]            tw_idx,
  /// PORT_CLS only: the entries of tw_idx's aligned group of RT_FILL_LANES written (a fill's
  /// lanes, dejfa_rec_port's tw_lanes); the other tables take entry tw_idx alone
  input  wire logic [dejfa_regs_pkg::RT_FILL_LANES-1:0] tw_lanes,
  input  wire logic [dejfa_regs_pkg::GROUP_REC_W-1:0] tw_data,
  /// the bank lookups entering now read
  input  wire logic                   act_bank,
  /// a packet: whether it is IP, its address classes, whether it has ports (TCP/UDP, not a
  /// later fragment), its ports, and its spec vector (bit s: spec s holds)
  input  wire logic                   s_valid,
  input  wire logic                   s_ip,
  input  wire logic [AL-1:0]          s_acls_s,
  input  wire logic [AL-1:0]          s_acls_d,
  input  wire logic                   s_ports,
  input  wire logic [15:0]            s_sport,
  input  wire logic [15:0]            s_dport,
  input  wire logic [SPEC_N-1:0]      s_spec,
  input  wire logic [SIDE_W-1:0]      s_side,
  /// the packet of 5 cycles ago: per lane, whether its group matched, and the group
  output logic                        m_valid,
  output logic [LANES-1:0]            m_hit,
  output logic [LANES*GL-1:0]         m_group,
  /// per lane, the group's GROUP_EN record (its rules' enables and actions)
  output logic [LANES*dejfa_regs_pkg::GROUP_EN_W-1:0] m_en,
  output logic [SIDE_W-1:0]           m_side,
  /// the packet of 3 cycles ago: its header descriptor (hdr::Descriptor, docs/HARDWARE.md
  /// "Candidate check"): whether it is IP, its four class ids as group records hold them (address
  /// classes 16 bits, port classes 17, class 0 without ports), each class's complex-set bits
  /// (CLASS_REC's CSET: source, destination address, source, destination port) and the spec vector
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
  `include "dejfa_hdr_check.svh"

  initial begin
    if (ACLS_N < 4 || ACLS_N > 32768 || (1 << AL) != ACLS_N) $fatal(1, "dejfa_hdr_verify: ACLS_N must be a power of two, 4 .. 32768 (%m)");
    if (PCLS_N < 4 || PCLS_N > 65536 || (1 << PL) != PCLS_N) $fatal(1, "dejfa_hdr_verify: PCLS_N must be a power of two, 4 .. 65536 (%m)");
    if (GROUPS_N < 4 || GROUPS_N > 16384 || (1 << GL) != GROUPS_N) $fatal(1, "dejfa_hdr_verify: GROUPS_N must be a power of two, 4 .. 16384 (%m)");
    if (SPEC_N < 2 || SPEC_N > 1024 || (1 << SL) != SPEC_N) $fatal(1, "dejfa_hdr_verify: SPEC_N must be a power of two, 2 .. 1024 (%m)");
    if (SIDE_W < 1) $fatal(1, "dejfa_hdr_verify: SIDE_W must be at least 1 (%m)");
  end

  localparam int unsigned CW = dejfa_regs_pkg::CLASS_REC_W;
  localparam int unsigned RW = dejfa_regs_pkg::GROUP_REC_W;

  // ---- stage 0: address records and port classes
  logic [CW-1:0] arec_a [2];
  logic [CW-1:0] arec_b [2];
  logic [PL-1:0] pcls_a [2];
  logic [PL-1:0] pcls_b [2];
  for (genvar b = 0; b < 2; b++) begin : g_s0
    logic we_a, we_p;
    assign we_a = tw_addr_rec && tw_bank == b[0];
    assign we_p = tw_port_cls && tw_bank == b[0];
    dejfa_ram_2r #(.DEPTH(ACLS_N), .WIDTH(CW), .STYLE("ultra")) u_addr_rec (
      .clk, .we(we_a), .addr_a(we_a ? tw_idx[AL-1:0] : s_acls_s), .wdata(tw_data[CW-1:0]),
      .rd_a(arec_a[b]), .addr_b(s_acls_d), .rd_b(arec_b[b])
    );
    dejfa_ram_2r_lanes #(.DEPTH(65536), .WIDTH(PL), .LANES(dejfa_regs_pkg::RT_FILL_LANES)) u_port_cls (
      .clk, .we_lanes(we_p ? tw_lanes : '0), .addr_a(we_p ? tw_idx : s_sport), .wdata(tw_data[PL-1:0]),
      .rd_a(pcls_a[b]), .addr_b(s_dport), .rd_b(pcls_b[b])
    );
  end

  logic              p1_val, p1_bank, p1_ip, p1_ports;
  logic [AL-1:0]     p1_acls_s, p1_acls_d;
  logic [SPEC_N-1:0] p1_spec;
  logic [SIDE_W-1:0] p1_side;
  always_ff @(posedge clk) begin
    p1_val    <= s_valid && !rst;
    p1_bank   <= act_bank;
    p1_ip     <= s_ip;
    p1_ports  <= s_ports;
    p1_acls_s <= s_acls_s;
    p1_acls_d <= s_acls_d;
    p1_spec   <= s_spec;
    p1_side   <= s_side;
  end

  // ---- stage 1: port records
  logic [PL-1:0] p1_pcls_s, p1_pcls_d;
  assign p1_pcls_s = p1_ports ? pcls_a[p1_bank] : '0;
  assign p1_pcls_d = p1_ports ? pcls_b[p1_bank] : '0;
  logic [CW-1:0] prec_a [2];
  logic [CW-1:0] prec_b [2];
  for (genvar b = 0; b < 2; b++) begin : g_s1
    logic we;
    assign we = tw_port_rec && tw_bank == b[0];
    dejfa_ram_2r #(.DEPTH(PCLS_N), .WIDTH(CW), .STYLE("ultra")) u_port_rec (
      .clk, .we, .addr_a(we ? tw_idx[PL-1:0] : p1_pcls_s), .wdata(tw_data[CW-1:0]),
      .rd_a(prec_a[b]), .addr_b(p1_pcls_d), .rd_b(prec_b[b])
    );
  end

  logic              p2_val, p2_bank, p2_ip;
  logic [AL-1:0]     p2_acls_s, p2_acls_d;
  logic [PL-1:0]     p2_pcls_s, p2_pcls_d;
  logic [CW-1:0]     p2_arec_s, p2_arec_d;
  logic [SPEC_N-1:0] p2_spec;
  logic [SIDE_W-1:0] p2_side;
  always_ff @(posedge clk) begin
    p2_val    <= p1_val && !rst;
    p2_bank   <= p1_bank;
    p2_ip     <= p1_ip;
    p2_acls_s <= p1_acls_s;
    p2_acls_d <= p1_acls_d;
    p2_pcls_s <= p1_pcls_s;
    p2_pcls_d <= p1_pcls_d;
    p2_arec_s <= arec_a[p1_bank];
    p2_arec_d <= arec_b[p1_bank];
    p2_spec   <= p1_spec;
    p2_side   <= p1_side;
  end

  // ---- stage 2: slots, group records
  logic [4*CW-1:0] p2_rec;  // record f at f * CW
  assign p2_rec = {prec_b[p2_bank], prec_a[p2_bank], p2_arec_d, p2_arec_s};
  logic [LANES*dejfa_regs_pkg::HDR_SLOT_W-1:0] p2_slot;
  for (genvar l = 0; l < LANES; l++) begin : g_slot
    localparam int unsigned F = l / 2;
    localparam int unsigned LSB = (F % 2 == 0) ? (l % 2 == 0 ? dejfa_regs_pkg::CLASS_REC_S0_0_LSB : dejfa_regs_pkg::CLASS_REC_S0_1_LSB)
                                               : (l % 2 == 0 ? dejfa_regs_pkg::CLASS_REC_S1_0_LSB : dejfa_regs_pkg::CLASS_REC_S1_1_LSB);
    assign p2_slot[dejfa_regs_pkg::HDR_SLOT_W*l +: dejfa_regs_pkg::HDR_SLOT_W] = p2_rec[CW*F + LSB +: dejfa_regs_pkg::HDR_SLOT_W];
  end
  logic [RW-1:0] grec [LANES][2];  // per lane, per bank
  for (genvar c = 0; c < LANES / 2; c++) begin : g_copy
    for (genvar b = 0; b < 2; b++) begin : g_bank
      logic we;
      assign we = tw_group_rec && tw_bank == b[0];
      dejfa_ram_2r #(.DEPTH(GROUPS_N), .WIDTH(RW), .STYLE("ultra")) u_group_rec (
        .clk, .we,
        .addr_a(we ? tw_idx[GL-1:0] : p2_slot[dejfa_regs_pkg::HDR_SLOT_W*(2*c) + dejfa_regs_pkg::HDR_SLOT_GROUP_LSB +: GL]),
        .wdata(tw_data), .rd_a(grec[2*c][b]),
        .addr_b(p2_slot[dejfa_regs_pkg::HDR_SLOT_W*(2*c+1) + dejfa_regs_pkg::HDR_SLOT_GROUP_LSB +: GL]), .rd_b(grec[2*c+1][b])
      );
    end
  end

  // GROUP_EN: one copy per lane and bank, each with its own write port.
  localparam int unsigned NW = dejfa_regs_pkg::GROUP_EN_W;
  logic [NW-1:0] gen_rd [LANES][2];
  for (genvar l = 0; l < LANES; l++) begin : g_en
    for (genvar b = 0; b < 2; b++) begin : g_bank
      dejfa_ram_1w1r #(.DEPTH(GROUPS_N), .WIDTH(NW)) u_group_en (
        .clk, .we(tw_group_en && tw_bank == b[0]), .waddr(tw_idx[GL-1:0]), .wdata(tw_data[NW-1:0]),
        .raddr(p2_slot[dejfa_regs_pkg::HDR_SLOT_W*l + dejfa_regs_pkg::HDR_SLOT_GROUP_LSB +: GL]),
        .rdata(gen_rd[l][b])
      );
    end
  end

  logic                        p3_val, p3_bank, p3_ip;
  logic [AL-1:0]               p3_acls_s, p3_acls_d;
  logic [PL-1:0]               p3_pcls_s, p3_pcls_d;
  logic [4*64-1:0]             p3_cset;  // the complex-set bits of record f at f * 64
  logic [LANES*dejfa_regs_pkg::HDR_SLOT_W-1:0] p3_slot;
  logic [SPEC_N-1:0]           p3_spec;
  logic [SIDE_W-1:0]           p3_side;
  always_ff @(posedge clk) begin
    p3_val    <= p2_val && !rst;
    p3_bank   <= p2_bank;
    p3_ip     <= p2_ip;
    p3_acls_s <= p2_acls_s;
    p3_acls_d <= p2_acls_d;
    p3_pcls_s <= p2_pcls_s;
    p3_pcls_d <= p2_pcls_d;
    for (int f = 0; f < 4; f++) p3_cset[64*f +: 64] <= p2_rec[CW*f + dejfa_regs_pkg::CLASS_REC_CSET_LSB +: 64];
    p3_slot   <= p2_slot;
    p3_spec   <= p2_spec;
    p3_side   <= p2_side;
  end

  // ---- stage 3: per lane, field membership in both orientations and the spec bit
  // The packet's class ids as the group records hold them: addresses 16 bits, ports 17.
  logic [15:0] cls_a [2];
  logic [16:0] cls_p [2];
  assign cls_a[0] = 16'(p3_acls_s);
  assign cls_a[1] = 16'(p3_acls_d);
  assign cls_p[0] = 17'(p3_pcls_s);
  assign cls_p[1] = 17'(p3_pcls_d);
  assign d_valid = p3_val;
  assign d_ip = p3_ip;
  assign d_src = cls_a[0];
  assign d_dst = cls_a[1];
  assign d_sport = cls_p[0];
  assign d_dport = cls_p[1];
  assign d_cset = p3_cset;
  assign d_spec = p3_spec;
  assign d_side = p3_side;

  logic [LANES-1:0] p4_lane, p4_rev, p4_fwd_ok, p4_rev_ok, p4_spec_ok;
  logic [LANES*GL-1:0] p4_group;
  logic [LANES*NW-1:0] p4_en;
  logic p4_val;
  logic [SIDE_W-1:0] p4_side;
  for (genvar l = 0; l < LANES; l++) begin : g_lane
    logic [RW-1:0] r;
    assign r = grec[l][p3_bank];
    // in[4 o + f]: field f holds the packet's class in orientation o (0 forward, 1 reversed,
    // where the source and destination classes trade places): dejfa_hdr_check.svh's check,
    // which the content candidates' lanes share.
    logic [7:0] in;
    assign in[3:0] = hdr_fields_in(r, cls_a[0], cls_a[1], cls_p[0], cls_p[1], p3_cset[0 +: 64],
                                   p3_cset[64 +: 64], p3_cset[128 +: 64], p3_cset[192 +: 64]);
    assign in[7:4] = hdr_fields_in(r, cls_a[1], cls_a[0], cls_p[1], cls_p[0], p3_cset[64 +: 64],
                                   p3_cset[0 +: 64], p3_cset[192 +: 64], p3_cset[128 +: 64]);
    logic [dejfa_regs_pkg::HDR_SLOT_W-1:0] slot;
    logic [9:0]            spec;
    assign slot = p3_slot[dejfa_regs_pkg::HDR_SLOT_W*l +: dejfa_regs_pkg::HDR_SLOT_W];
    assign spec = r[dejfa_regs_pkg::GROUP_REC_SPEC_LSB +: 10];
    always_ff @(posedge clk) begin
      p4_lane[l]            <= slot[dejfa_regs_pkg::HDR_SLOT_VALID_LSB] && p3_ip;
      p4_rev[l]             <= slot[dejfa_regs_pkg::HDR_SLOT_REV_LSB];
      p4_fwd_ok[l]          <= &in[3:0];
      p4_rev_ok[l]          <= &in[7:4] && r[dejfa_regs_pkg::GROUP_REC_BIDIR_LSB];
      p4_spec_ok[l]         <= 32'(spec) < SPEC_N && p3_spec[spec[SL-1:0]];
      p4_group[GL*l +: GL]  <= slot[dejfa_regs_pkg::HDR_SLOT_GROUP_LSB +: GL];
      p4_en[NW*l +: NW]     <= gen_rd[l][p3_bank];
    end
    // A slot's group beyond GROUPS_N is not asserted against: tables are the loader's contract
    // (the image codec refuses such a slot), a bank never loaded holds whatever the memories
    // held (random in simulation), and only the low GL bits are read.
  end
  always_ff @(posedge clk) begin
    p4_val  <= p3_val && !rst;
    p4_side <= p3_side;
  end

  // ---- stage 4: hits
  always_ff @(posedge clk) begin
    m_valid <= p4_val && !rst;
    m_side  <= p4_side;
    m_group <= p4_group;
    m_en    <= p4_en;
    for (int l = 0; l < LANES; l++) begin
      m_hit[l] <= p4_lane[l] && p4_spec_ok[l] && (p4_rev[l] ? p4_rev_ok[l] && !p4_fwd_ok[l] : p4_fwd_ok[l]);
    end
  end

  // Bits no table of this size reads (tw_idx above a table's width, tw_data above its entry's).
  wire logic unused_tw = ^{tw_idx, tw_data};
endmodule

`resetall
`default_nettype wire
