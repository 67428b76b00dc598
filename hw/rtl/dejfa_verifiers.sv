// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"
`include "dejfa_form.svh"

/*
 * dejfa_verifiers: NV verifiers of (frame, rule) jobs with their memories (docs/HARDWARE.md
 * "Verifiers", issue #25). A job (the VJOB record) goes to the lowest-numbered idle verifier;
 * each verifier gives its results on its own lane, one cycle each, with the job's tag.
 *
 * Memories: the literal slots (LIT_BYTES) and program entries (PROG) a RAM per image bank and per
 * two verifiers, port A written by the TABLES window (the shadow bank) or read by the pair's
 * first verifier, port B read by its second; the payload RAM (the frames' bytes, written by the
 * core at every beat: each frame from the start of a 64-byte word) a copy per verifier, even and
 * odd words apart so a verifier reads words w and w + 1 in one cycle.
 */
module dejfa_verifiers #(
  /// literal slots (per image bank)
  parameter int unsigned LITS_N = 512,
  /// content-program entries (per image bank)
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule
  parameter int unsigned CONT_N = 32,
  /// bytes of a literal slot: 64, as the table writes (16 words a slot) and the comparators take
  parameter int unsigned LIT_MAX_B = 64,
  /// input data width in bits (payload write lanes)
  parameter int unsigned DATA_W = 64,
  /// verifiers: 8 at 100g, 4 at 10g (docs/HARDWARE.md "Verifiers": bench_verifiers)
  parameter int unsigned NV = DATA_W >= 512 ? 8 : 4,
  /// payload RAM words of 64 bytes (a power of two): twice the packet buffer's bytes, as version 1
  parameter int unsigned PAY_WORDS = 2 * dejfa_regs_pkg::PKT_DEPTH * (DATA_W / 8) / 64,
  /// Suricata's inspection_recursion_limit
  parameter int unsigned REC_LIMIT = 3000,
  /// start positions each verifier's scan compares a cycle (16 or 32): 16 at 100g, 32 at 10g
  parameter int unsigned STARTS = DATA_W >= 512 ? 16 : 32,
  /// the payload copies' ram_style: UltraRAM at 100g (each copy 2 x 2,048 x 512 bits, written
  /// every beat, 57 BRAM36 or 16 URAM), block RAM at 10g (2 x 256 x 512 bits)
  parameter PAY_STYLE = DATA_W >= 512 ? "ultra" : "block",
  /// 1: the verifiers' simulation form, 0: their synthesis form (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W,
  localparam int unsigned JW = dejfa_regs_pkg::VJOB_W,
  localparam int unsigned TG = dejfa_regs_pkg::VJOB_TAG_W,
  localparam int unsigned LN = (512 / DATA_W) > 1 ? $clog2(512 / DATA_W) : 1
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,
  /// table write (TABLES window: LIT_BYTES and PROG)
  input  wire logic                tbl_wr_en,
  /// table word address {id, index}
  input  wire logic [TW-1:0]       tbl_wr_addr,
  /// table write data
  input  wire logic [31:0]         tbl_wr_data,
  /// bank written (the shadow)
  input  wire logic                tbl_wr_bank,
  /// payload RAM write: one DATA_W lane of a 64-byte word
  input  wire logic                pw_en,
  /// payload RAM word
  input  wire logic [$clog2(PAY_WORDS)-1:0] pw_word,
  /// lane within the word
  input  wire logic [LN-1:0]       pw_lane,
  /// lane data
  input  wire logic [DATA_W-1:0]   pw_data,
  /// a job offered
  input  wire logic                s_valid,
  /// the job is taken (a verifier is idle)
  output logic                     s_ready,
  /// the job (VJOB record)
  input  wire logic [JW-1:0]       s_job,
  /// per verifier: a result, for one cycle
  output logic [NV-1:0]            m_valid,
  /// its tag (verifier v's at bits TG v up; Yosys 0.23 takes no multi-dimensional packed port)
  output logic [NV*TG-1:0]         m_tag,
  /// the rule's contents match the payload
  output logic [NV-1:0]            m_match,
  /// the job reached its budget first
  output logic [NV-1:0]            m_overrun,
  /// per verifier: idle
  output logic [NV-1:0]            idle
);
  localparam int unsigned LI = $clog2(LITS_N);
  localparam int unsigned PI = $clog2(CPROG_N);
  localparam int unsigned PW = $clog2(PAY_WORDS);
  localparam int unsigned IW = dejfa_regs_pkg::TBL_INDEX_W;
  localparam int unsigned NP = (NV + 1) / 2;  // table copies (pairs)

  initial begin
    if (NV < 1 || NV > 8) $fatal(1, "dejfa_verifiers: NV must be 1 to 8 (%m)");
    if (LIT_MAX_B != 64) $fatal(1, "dejfa_verifiers: LIT_MAX_B must be 64 (%m)");
  end

  // ---------------------------------------------------------------- table writes
  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0] wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [IW-1:0] widx = tbl_wr_addr[IW-1:0];
  wire logic [31:0]   widx32 = 32'(widx);
  // index across the ids a table spans
  wire logic [31:0]   lit_i  = 32'(5'(wid - dejfa_regs_pkg::TBL_LIT_BYTES)) * (32'd1 << IW) + widx32;
  wire logic [31:0]   prog_i = 32'(5'(wid - dejfa_regs_pkg::TBL_PROG)) * (32'd1 << IW) + widx32;
  wire logic          w_lit  = tbl_wr_en && wid >= dejfa_regs_pkg::TBL_LIT_BYTES &&
                               {1'b0, wid} < 6'(dejfa_regs_pkg::TBL_LIT_BYTES) + 6'(dejfa_regs_pkg::TBL_LIT_BYTES_IDS) &&
                               lit_i < 32'(LITS_N * 16);
  wire logic          w_prog = tbl_wr_en && wid >= dejfa_regs_pkg::TBL_PROG &&
                               {1'b0, wid} < 6'(dejfa_regs_pkg::TBL_PROG) + 6'(dejfa_regs_pkg::TBL_PROG_IDS) &&
                               prog_i < 32'(CPROG_N * 4);

  // ---------------------------------------------------------------- dispatch
  logic [NV-1:0] v_ready, v_take;
  always_comb begin
    v_take = '0;
    for (int v = NV - 1; v >= 0; v--) begin
      if (v_ready[v]) v_take = NV'(1) << v;
    end
    if (!s_valid) v_take = '0;
  end
  assign s_ready = v_ready != '0;
  assign idle = v_ready;

  // ---------------------------------------------------------------- verifiers and memories
  logic [NV-1:0]         rd_bank, rd_bank_q;
  logic [PI-1:0]         prog_addr [NV];
  logic [LI-1:0]         lit_addr  [NV];
  logic [PW-2:0]         pe_addr   [NV];
  logic [PW-2:0]         po_addr   [NV];
  logic [127:0]          prog_d    [NV];
  logic [511:0]          lit_d     [NV];
  logic [511:0]          pe_d      [NV];
  logic [511:0]          po_d      [NV];
  // per pair and bank, port A and port B data (port B when the pair has a second verifier)
  logic [127:0]          prog_a [NP][2];
  logic [127:0]          prog_b [NP][2];
  logic [511:0]          lit_a  [NP][2];
  logic [511:0]          lit_b  [NP][2];
  if (NV % 2 != 0) begin : g_odd
    // the last pair has one verifier and no port B
    assign prog_b[NP-1][0] = '0;
    assign prog_b[NP-1][1] = '0;
    assign lit_b[NP-1][0] = '0;
    assign lit_b[NP-1][1] = '0;
    wire logic unused_b = ^{prog_b[NP-1][0], prog_b[NP-1][1], lit_b[NP-1][0], lit_b[NP-1][1]};
  end

  always_ff @(posedge clk) rd_bank_q <= rd_bank;

  for (genvar v = 0; v < NV; v++) begin : g_v
    dejfa_verifier #(
      .LITS_N(LITS_N), .CPROG_N(CPROG_N), .CONT_N(CONT_N), .PAY_WORDS(PAY_WORDS),
      .REC_LIMIT(REC_LIMIT), .STARTS(STARTS), .SIM_FORM(SIM_FORM)
    ) u_ver (
      .clk, .rst,
      .s_valid(v_take[v]), .s_ready(v_ready[v]), .s_job,
      .rd_bank(rd_bank[v]),
      .prog_addr(prog_addr[v]), .prog_d(prog_d[v]),
      .lit_addr(lit_addr[v]), .lit_d(lit_d[v]),
      .pay_even_addr(pe_addr[v]), .pay_odd_addr(po_addr[v]), .pay_even_d(pe_d[v]), .pay_odd_d(po_d[v]),
      .m_valid(m_valid[v]), .m_tag(m_tag[TG*v +: TG]), .m_match(m_match[v]), .m_overrun(m_overrun[v])
    );
    // the bank's RAM port this verifier reads (port A for the pair's first, B for its second)
    if (v % 2 == 0) begin : g_a
      assign prog_d[v] = prog_a[v / 2][rd_bank_q[v]];
      assign lit_d[v]  = lit_a[v / 2][rd_bank_q[v]];
    end else begin : g_b
      assign prog_d[v] = prog_b[v / 2][rd_bank_q[v]];
      assign lit_d[v]  = lit_b[v / 2][rd_bank_q[v]];
    end

    // The payload: written at every beat, read by this verifier alone. Lanes by constant
    // part-selects, as dejfa_inspect's, so that tools merge them into one port with lane enables.
    (* ram_style = PAY_STYLE *) logic [511:0] pay_even [PAY_WORDS/2];
    (* ram_style = PAY_STYLE *) logic [511:0] pay_odd  [PAY_WORDS/2];
    always_ff @(posedge clk) begin
      for (int l = 0; l < 512 / DATA_W; l++) begin
        if (pw_en && !pw_word[0] && 32'(pw_lane) == l) pay_even[pw_word[PW-1:1]][DATA_W*l +: DATA_W] <= pw_data;
        if (pw_en && pw_word[0] && 32'(pw_lane) == l)  pay_odd[pw_word[PW-1:1]][DATA_W*l +: DATA_W] <= pw_data;
      end
    end
    always_ff @(posedge clk) begin
      pe_d[v] <= pay_even[pe_addr[v]];
      po_d[v] <= pay_odd[po_addr[v]];
    end
  end

  for (genvar p = 0; p < NP; p++) begin : g_pair
    localparam int unsigned V0 = 2 * p;
    for (genvar b = 0; b < 2; b++) begin : g_bank
      wire logic we_lit  = w_lit && tbl_wr_bank == 1'(b);
      wire logic we_prog = w_prog && tbl_wr_bank == 1'(b);
      wire logic [LI-1:0] lit_a_addr  = we_lit ? lit_i[LI+3:4] : lit_addr[V0];
      wire logic [PI-1:0] prog_a_addr = we_prog ? prog_i[PI+1:2] : prog_addr[V0];
      (* ram_style = "block" *) logic [511:0] lit_mem [LITS_N];
      (* ram_style = "block" *) logic [127:0] prog_mem [CPROG_N];
      always_ff @(posedge clk) begin
        for (int l = 0; l < 16; l++) begin
          if (we_lit && lit_i[3:0] == 4'(l)) lit_mem[lit_a_addr][32*l +: 32] <= tbl_wr_data;
        end
        for (int l = 0; l < 4; l++) begin
          if (we_prog && prog_i[1:0] == 2'(l)) prog_mem[prog_a_addr][32*l +: 32] <= tbl_wr_data;
        end
        lit_a[p][b]  <= lit_mem[lit_a_addr];
        prog_a[p][b] <= prog_mem[prog_a_addr];
      end
      if (2 * p + 1 < NV) begin : g_port_b
        always_ff @(posedge clk) begin
          lit_b[p][b]  <= lit_mem[lit_addr[2 * p + 1]];
          prog_b[p][b] <= prog_mem[prog_addr[2 * p + 1]];
        end
      end
      // A bank is written only while no job reads it (the driver loads the shadow bank, whose
      // frames have all left): a write takes the pair's first verifier's port, and a read of the
      // entry written on the other port would collide.
      `DEJFA_ASSERT(WriteIdleBank_A, !(we_lit || we_prog) || (v_ready[V0] && !v_take[V0]) ||
                                 rd_bank[V0] != 1'(b), clk, rst)
      if (2 * p + 1 < NV) begin : g_write_idle_b
        `DEJFA_ASSERT(WriteIdleBankB_A, !(we_lit || we_prog) || (v_ready[2*p+1] && !v_take[2*p+1]) ||
                                        rd_bank[2*p+1] != 1'(b), clk, rst)
      end
    end
  end
endmodule

`resetall
`default_nettype wire
