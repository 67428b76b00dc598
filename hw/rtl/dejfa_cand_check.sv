// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_cand_check: the lanes behind the expansion (issue #25; docs/ARCHITECTURE.md section 7,
 * "The lanes behind the expansion"; docs/HARDWARE.md "Candidate check"; host model:
 * dejfa::hdr::content_match over hdr::Descriptor). Each of the expansion's E rule ids a cycle is a
 * content rule whose anchor was found in its frame; its header group (CONT_REC) and the group's
 * record (GROUP_REC) are read and checked against the frame's header descriptor, as the verify
 * lanes check an indexed group (dejfa_hdr_check.svh): every field holds the packet's class, as
 * it is or, for a `<>` group, with source and destination traded, and the group's spec bit is
 * set in the packet's spec vector.
 *
 *   X   the expansion's output waits in a queue of XQ entries until its frame's descriptor is
 *       written (the header path's descriptor comes 2 L + 6 cycles after the parser's, often
 *       after the expansion has reached the frame)
 *   C0  the lanes' rule ids address CONT_REC (E / 2 dual-port copies per image bank)
 *   C1  their groups address GROUP_REC (likewise)
 *   C2  each record is checked against the descriptor FIFO's head; a frame's end pops the head
 *   out registered: per lane {valid, rule, hit, decided}, the frame, its end and its shed flags
 *
 * Descriptors come from the header path, one per frame in frame order (d_*), into a FIFO of DQ
 * entries read with the address after this cycle's pop, so its head is the frame at C2. The
 * frame's end travels with its lanes, so the head is always the lanes' frame's descriptor:
 * descriptors are numbered as they are written, from reset, and the head's number must equal
 * the lanes' frame number in its low bits (asserted), as the expansion numbers every frame from
 * reset too. Table writes (tw_*: CONT_REC, GROUP_REC) go to
 * their bank's memories only; a lane reads the bank its rule's range came from.
 */
module dejfa_cand_check #(
  /// AXI4-Stream data width in bits (64 or 512): sets E
  parameter int unsigned DATA_W = 64,
  /// content rule ids CONT_REC holds (RULES_N: the content rules are wide slots until the swap)
  parameter int unsigned RULES_N = 256,
  /// header groups (GROUPS_N, a power of two)
  parameter int unsigned GROUPS_N = 4096,
  /// small-field specs (SPEC_N, a power of two, at most 1,024)
  parameter int unsigned SPEC_N = 512,
  /// complex sets per field kind (CSET_N, at most 64)
  parameter int unsigned CSET_N = 32,
  /// descriptors the FIFO holds (a power of two)
  parameter int unsigned DQ = 512,
  /// frame numbers (the expansion's m_frame)
  parameter int unsigned TAG_W = 19,
  /// the expansion's outputs that can wait for their frame's descriptor (a power of two)
  parameter int unsigned XQ = 64,
  /// rule ids a cycle
  localparam int unsigned E = DATA_W >= 128 ? 8 : 2,
  localparam int unsigned RIW = dejfa_regs_pkg::RANGE_REC_FIRST_W,
  /// the frame number's bits a descriptor carries (for the assertion)
  localparam int unsigned FL = 8
) (
  input  wire logic                   clk,
  input  wire logic                   rst,

  /// table writes: entry tw_idx of table tw_tbl of bank tw_bank (CONT_REC, GROUP_REC; others
  /// ignored)
  input  wire logic                   tw_en,
  input  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] tw_tbl,
  input  wire logic                   tw_bank,
  input  wire logic [15:0]            tw_idx,
  input  wire logic [dejfa_regs_pkg::GROUP_REC_W-1:0] tw_data,

  /// a frame's header descriptor (hdr::Descriptor), one for every frame from reset, in frame
  /// order (the header path's d_*)
  input  wire logic                   d_valid,
  input  wire logic                   d_ip,
  input  wire logic [15:0]            d_src,
  input  wire logic [15:0]            d_dst,
  input  wire logic [16:0]            d_sport,
  input  wire logic [16:0]            d_dport,
  /// complex-set bits: source, destination address, source, destination port (CSET_N each)
  input  wire logic [4*CSET_N-1:0]    d_cset,
  input  wire logic [SPEC_N-1:0]      d_spec,

  /// the expansion's output (dejfa_anchor_expand m_*)
  input  wire logic [E-1:0]           c_valid,
  input  wire logic [E*RIW-1:0]       c_rule,
  input  wire logic [E-1:0]           c_bank,
  input  wire logic [TAG_W-1:0]       c_frame,
  input  wire logic                   c_end,
  input  wire logic                   c_shed,
  input  wire logic                   c_full,

  /// per lane: a candidate of frame m_frame, and whether its header matched
  output logic [E-1:0]                m_valid,
  output logic [E*RIW-1:0]            m_rule,
  output logic [E-1:0]                m_hit,
  /// per lane: the confirm decides the rule (CONT_REC's DECIDED): a hit is a match, with no
  /// verifier
  output logic [E-1:0]                m_decided,
  output logic [TAG_W-1:0]            m_frame,
  output logic                        m_end,
  output logic                        m_shed,
  output logic                        m_full
);
  localparam int unsigned CL = $clog2(RULES_N);
  localparam int unsigned GL = $clog2(GROUPS_N);
  localparam int unsigned SL = $clog2(SPEC_N);
  localparam int unsigned RW = dejfa_regs_pkg::GROUP_REC_W;
  localparam int unsigned QL = $clog2(DQ);
  localparam int unsigned XL = $clog2(XQ);
  // a descriptor: frame, ip, classes, complex sets, spec vector
  localparam int unsigned DW = FL + 1 + 16 + 16 + 17 + 17 + 4 * CSET_N + SPEC_N;

  initial begin
    if (RULES_N < 2 || (1 << CL) != RULES_N || RULES_N > (1 << RIW)) $fatal(1, "dejfa_cand_check: RULES_N must be a power of two, 2 .. 2^RIW (%m)");
    if (GROUPS_N < 2 || (1 << GL) != GROUPS_N || GL > dejfa_regs_pkg::CONT_REC_GROUP_W) $fatal(1, "dejfa_cand_check: GROUPS_N must be a power of two CONT_REC's GROUP holds (%m)");
    if (SPEC_N < 2 || (1 << SL) != SPEC_N || SPEC_N > 1024) $fatal(1, "dejfa_cand_check: SPEC_N must be a power of two, at most 1,024 (%m)");
    if (CSET_N < 1 || CSET_N > 64) $fatal(1, "dejfa_cand_check: CSET_N must be 1 .. 64 (%m)");
    if (DQ < 4 || (1 << QL) != DQ) $fatal(1, "dejfa_cand_check: DQ must be a power of two >= 4 (%m)");
    if (XQ < 4 || (1 << XL) != XQ) $fatal(1, "dejfa_cand_check: XQ must be a power of two >= 4 (%m)");
  end

  // (an entry beyond the block's table is dropped; the loader never sends one)
  logic tw_cont, tw_group;
  assign tw_cont = tw_en && tw_tbl == dejfa_regs_pkg::RT_CONT_REC && 17'(tw_idx) < 17'(RULES_N);
  assign tw_group = tw_en && tw_tbl == dejfa_regs_pkg::RT_GROUP_REC && 17'(tw_idx) < 17'(GROUPS_N);

  // ---- X: the expansion's output waits until its frame's descriptor is written. `ahead_q`
  // counts the descriptors written beyond the frames whose end has gone to C0, so an entry may go
  // when it is not zero: its frame's descriptor was written at least a cycle before the entry
  // goes, two before it reaches C2 (as the FIFO's read needs). Without back-pressure on the
  // expansion: its lead over the descriptors is bounded by the header path's latency, a cycle
  // an entry (asserted, XqFits_A).
  typedef struct packed {
    logic [E-1:0]     valid;
    logic [E*RIW-1:0] rule;
    logic [E-1:0]     bank;
    logic [TAG_W-1:0] frame;
    logic             fend;
    logic             shed;
    logic             full;
  } cand_t;
  cand_t x_in, x;
  assign x_in.valid = c_valid;
  assign x_in.rule = c_rule;
  assign x_in.bank = c_bank;
  assign x_in.frame = c_frame;
  assign x_in.fend = c_end;
  assign x_in.shed = c_shed;
  assign x_in.full = c_full;
  localparam int unsigned XW = $bits(x_in);
  (* ram_style = "distributed" *) logic [XW-1:0] xq_mem [XQ];
  logic [XL-1:0] xq_wp_q, xq_rp_q;
  logic [XL:0]   xq_cnt_q;
  logic [QL:0]   ahead_q;
  logic          x_push, x_go;
  assign x_push = c_valid != '0 || c_end;
  assign x = xq_mem[xq_rp_q];
  assign x_go = xq_cnt_q != '0 && ahead_q != '0;
  always_ff @(posedge clk) begin
    if (x_push) begin
      xq_mem[xq_wp_q] <= x_in;
      xq_wp_q <= xq_wp_q + 1'b1;
    end
    if (x_go) xq_rp_q <= xq_rp_q + 1'b1;
    xq_cnt_q <= xq_cnt_q + (XL+1)'(x_push) - (XL+1)'(x_go);
    ahead_q <= ahead_q + (QL+1)'(d_valid) - (QL+1)'(x_go && x.fend);
    if (rst) begin
      xq_wp_q <= '0;
      xq_rp_q <= '0;
      xq_cnt_q <= '0;
      ahead_q <= '0;
    end
  end
  logic [E-1:0] x_valid;
  assign x_valid = x_go ? x.valid : '0;

  // ---- C0 -> C1: CONT_REC, per copy (lanes 2c, 2c + 1) and bank
  logic [GL:0] crec [E][2];  // {DECIDED, group}
  for (genvar c = 0; c < E / 2; c++) begin : g_cont
    for (genvar b = 0; b < 2; b++) begin : g_bank
      logic we;
      assign we = tw_cont && tw_bank == b[0];
      // (the group's low GL bits: the loader holds a group below GROUPS_N)
      dejfa_ram_2r #(.DEPTH(RULES_N), .WIDTH(GL + 1)) u_cont_rec (
        .clk, .we, .addr_a(we ? tw_idx[CL-1:0] : x.rule[RIW*(2*c) +: CL]),
        .wdata({tw_data[dejfa_regs_pkg::CONT_REC_DECIDED_LSB],
                tw_data[dejfa_regs_pkg::CONT_REC_GROUP_LSB +: GL]}), .rd_a(crec[2*c][b]),
        .addr_b(x.rule[RIW*(2*c+1) +: CL]), .rd_b(crec[2*c+1][b])
      );
    end
  end
  logic [E-1:0]     p1_valid, p1_bank;
  logic [E*RIW-1:0] p1_rule;
  logic [TAG_W-1:0] p1_frame;
  logic             p1_end, p1_shed, p1_full;
  always_ff @(posedge clk) begin
    p1_valid <= x_valid;
    p1_bank <= x.bank;
    p1_rule <= x.rule;
    p1_frame <= x.frame;
    p1_end <= x_go && x.fend;
    p1_shed <= x.shed;
    p1_full <= x.full;
    if (rst) begin
      p1_valid <= '0;
      p1_end <= 1'b0;
    end
  end

  // ---- C1 -> C2: GROUP_REC
  logic [GL-1:0] p1_group [E];
  logic [E-1:0]  p1_decided;
  for (genvar l = 0; l < E; l++) begin : g_group_of
    assign {p1_decided[l], p1_group[l]} = crec[l][p1_bank[l]];
  end
  logic [RW-1:0] grec [E][2];
  for (genvar c = 0; c < E / 2; c++) begin : g_grec
    for (genvar b = 0; b < 2; b++) begin : g_bank
      logic we;
      assign we = tw_group && tw_bank == b[0];
      dejfa_ram_2r #(.DEPTH(GROUPS_N), .WIDTH(RW), .STYLE("ultra")) u_group_rec (
        .clk, .we, .addr_a(we ? tw_idx[GL-1:0] : p1_group[2*c]), .wdata(tw_data),
        .rd_a(grec[2*c][b]), .addr_b(p1_group[2*c+1]), .rd_b(grec[2*c+1][b])
      );
    end
  end
  logic [E-1:0]     p2_valid, p2_bank, p2_decided;
  logic [E*RIW-1:0] p2_rule;
  logic [TAG_W-1:0] p2_frame;
  logic             p2_end, p2_shed, p2_full;
  always_ff @(posedge clk) begin
    p2_valid <= p1_valid;
    p2_bank <= p1_bank;
    p2_decided <= p1_decided;
    p2_rule <= p1_rule;
    p2_frame <= p1_frame;
    p2_end <= p1_end;
    p2_shed <= p1_shed;
    p2_full <= p1_full;
    if (rst) begin
      p2_valid <= '0;
      p2_end <= 1'b0;
    end
  end

  // ---- the descriptor FIFO: its head is on the read port (the address after this cycle's pop)
  logic [QL-1:0] dwp_q, drp_q, drp_d;
  logic [FL-1:0] dfr_q;  // the number of the frame whose descriptor comes next (low bits)
  logic [QL:0]   dcnt_q;
  logic [DW-1:0] dhead;
  logic          pop;
  assign pop = p2_end;
  assign drp_d = drp_q + QL'(pop);
  dejfa_ram_1w1r #(.DEPTH(DQ), .WIDTH(DW)) u_desc (
    .clk, .we(d_valid), .waddr(dwp_q),
    .wdata({dfr_q, d_ip, d_src, d_dst, d_sport, d_dport, d_cset, d_spec}),
    .raddr(drp_d), .rdata(dhead)
  );
  always_ff @(posedge clk) begin
    if (d_valid) begin
      dwp_q <= dwp_q + 1'b1;
      dfr_q <= dfr_q + 1'b1;
    end
    drp_q <= drp_d;
    dcnt_q <= dcnt_q + (QL+1)'(d_valid) - (QL+1)'(pop);
    if (rst) begin
      dwp_q <= '0;
      dfr_q <= '0;
      drp_q <= '0;
      dcnt_q <= '0;
    end
  end
  logic [FL-1:0]       h_frame;
  logic                h_ip;
  logic [15:0]         h_src, h_dst;
  logic [16:0]         h_sport, h_dport;
  logic [4*CSET_N-1:0] h_cset;
  logic [SPEC_N-1:0]   h_spec;
  assign {h_frame, h_ip, h_src, h_dst, h_sport, h_dport, h_cset, h_spec} = dhead;
  logic [63:0] cs [4];  // each field's complex-set bits, as dejfa_hdr_check.svh takes them
  for (genvar f = 0; f < 4; f++) begin : g_cs
    assign cs[f] = 64'(h_cset[CSET_N*f +: CSET_N]);
  end

`include "dejfa_hdr_check.svh"

  // ---- C2: the check; outputs registered
  logic [E-1:0] hit;
  for (genvar l = 0; l < E; l++) begin : g_check
    logic [RW-1:0] r;
    logic [7:0]    in;  // in[4 o + f]: field f holds the packet's class in orientation o
    logic [9:0]    spec;
    assign r = grec[l][p2_bank[l]];
    assign in[3:0] = hdr_fields_in(r, h_src, h_dst, h_sport, h_dport, cs[0], cs[1], cs[2], cs[3]);
    assign in[7:4] = hdr_fields_in(r, h_dst, h_src, h_dport, h_sport, cs[1], cs[0], cs[3], cs[2]);
    assign spec = r[dejfa_regs_pkg::GROUP_REC_SPEC_LSB +: 10];
    assign hit[l] = h_ip && 32'(spec) < SPEC_N && h_spec[spec[SL-1:0]] &&
                    (&in[3:0] || (&in[7:4] && r[dejfa_regs_pkg::GROUP_REC_BIDIR_LSB]));
  end
  always_ff @(posedge clk) begin
    m_valid <= p2_valid;
    m_rule <= p2_rule;
    m_hit <= hit & p2_valid;
    m_decided <= p2_decided & p2_valid;
    m_frame <= p2_frame;
    m_end <= p2_end;
    m_shed <= p2_shed;
    m_full <= p2_full;
    if (rst) begin
      m_valid <= '0;
      m_end <= 1'b0;
    end
  end

  // The head is the lanes' frame's descriptor, written at least two cycles before (one to the
  // memory, one to its read port). (Checked a cycle late from a register: an assertion on the
  // wide head itself makes Verilator 5.006 emit C++ that does not compile.)
  logic bad_head_q;
  always_ff @(posedge clk) begin
    bad_head_q <= (p2_valid != '0 || p2_end) && (dcnt_q == '0 || h_frame != p2_frame[FL-1:0]);
    if (rst) bad_head_q <= 1'b0;
  end
  `DEJFA_ASSERT(HeadIsTheFrames_A, !bad_head_q, clk, rst)
  `DEJFA_ASSERT(DescFits_A, !(d_valid && dcnt_q == (QL+1)'(DQ)), clk, rst)
  `DEJFA_ASSERT(XqFits_A, !(x_push && xq_cnt_q == (XL+1)'(XQ)), clk, rst)
endmodule

`resetall
`default_nettype wire
