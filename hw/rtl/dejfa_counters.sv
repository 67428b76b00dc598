// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_form.svh"

`include "dejfa_assert.svh"

/*
 * dejfa_counters: exact per-rule 64-bit packet and byte counters with a consistent snapshot.
 *
 * Every frame adds 1 packet and its length in bytes to every rule in s_match, at one frame per
 * cycle with any number of rules per frame. Each rule has a small accumulator in flip-flops; a
 * round-robin engine flushes one rule per cycle into a RAM of 64-bit totals (read, add, write
 * over two cycles; the same rule comes back only after RULES_N cycles, so there is no hazard).
 * A total is RAM + accumulator.
 *
 * Snapshot: in the cycle snap_req is seen (time T), every accumulator moves to a snapshot
 * accumulator and restarts with that cycle's increments; then the engine walks all rules once,
 * writing RAM + snapshot accumulator into both the RAM and the snapshot RAM. The snapshot holds
 * exactly the counts of every frame before T. snap_done pulses when it is readable; reads
 * (rule r at words 4r..4r+3: packets LO, HI, bytes LO, HI) answer one cycle after rd_en.
 *
 * Accumulator widths cover the longest time a rule waits for a flush (3 * RULES_N cycles).
 */
module dejfa_counters #(
  /// rule slots
  parameter int unsigned RULES_N = 256,
  /// 1: the simulation form of the accumulators' next state, 0: the synthesis form
  /// (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  /// word-address width of the read port (derived)
  localparam int unsigned RAW = $clog2(RULES_N) + 2
) (
  /// datapath clock
  input  wire logic               clk,
  /// synchronous active-high reset (clears every counter)
  input  wire logic               rst,

  /// a frame's matched rules are valid
  input  wire logic               s_valid,
  /// matched rules of the frame
  input  wire logic [RULES_N-1:0] s_match,
  /// frame length in bytes
  input  wire logic [15:0]        s_bytes,

  /// one-cycle pulse: take a snapshot (now, or once the running one or the reset clearing ends)
  input  wire logic               snap_req,
  /// one-cycle pulse: the snapshot holds the counts of the frames before this cycle (a global
  /// snapshot latched in this cycle agrees with it)
  output logic                    snap_take,
  /// a snapshot is being taken
  output logic                    snap_busy,
  /// one-cycle pulse: the snapshot is readable
  output logic                    snap_done,

  /// snapshot read request
  input  wire logic               rd_en,
  /// snapshot word address
  input  wire logic [RAW-1:0]     rd_addr,
  /// read answer valid (the cycle after rd_en)
  output logic                    rd_valid,
  /// read data
  output logic [31:0]             rd_data
);

  localparam int unsigned RA = $clog2(RULES_N);
  localparam int unsigned PW = RA + 3;        // packets per accumulator
  localparam int unsigned BW = 16 + RA + 3;   // bytes per accumulator

  // ---------------------------------------------------------------- accumulators
  // Flat vectors (rule r at [r*W +: W]; Yosys 0.23 has no multi-dimensional packed arrays):
  // next state computed for every rule in always_comb, registered at once.
  logic [RULES_N*PW-1:0] acc_p_q, acc_p_d, sacc_p_q, sacc_p_d;
  logic [RULES_N*BW-1:0] acc_b_q, acc_b_d, sacc_b_q, sacc_b_d;

  typedef enum logic {FLUSH_E, SNAP_E} mode_e;
  mode_e          mode_q;
  logic [RA-1:0]  ptr_q;        // rule flushed (FLUSH) or snapshotted (SNAP) this cycle
  logic           clearing_q;   // after reset: zero the RAMs once (RULES_N cycles)
  // A request that arrives while the RAMs are being cleared or a snapshot is running waits here
  // (it was lost before: a SNAPSHOT.GO right after reset never completed).
  logic           snap_pend_q;
  wire logic      snap_start = (snap_req || snap_pend_q) && mode_q == FLUSH_E && !clearing_q;

  if (SIM_FORM != 0) begin : g_next_sim
    // The same next state, visiting only the rules that change: all of them at a snapshot's
    // start, else the rule being flushed and, when a frame is counted, the 32-rule words with a
    // match in them. The synthesis form computes RULES_N increments and selections in every
    // cycle, frame or no frame (docs/PERFORMANCE.md "Simulation profile").
    always_comb begin : next_state
      sacc_p_d = sacc_p_q;
      sacc_b_d = sacc_b_q;
      acc_p_d = acc_p_q;
      acc_b_d = acc_b_q;
      if (snap_start) begin
        for (int r = 0; r < RULES_N; r++) begin
          sacc_p_d[r*PW +: PW] = acc_p_q[r*PW +: PW];
          sacc_b_d[r*BW +: BW] = acc_b_q[r*BW +: BW];
          acc_p_d[r*PW +: PW]  = (s_valid && s_match[r]) ? PW'(1) : '0;
          acc_b_d[r*BW +: BW]  = (s_valid && s_match[r]) ? BW'(s_bytes) : '0;
        end
      end else begin
        if (mode_q == FLUSH_E && !clearing_q) begin
          acc_p_d[32'(ptr_q)*PW +: PW] = '0;
          acc_b_d[32'(ptr_q)*BW +: BW] = '0;
        end
        if (s_valid) begin
          for (int w = 0; w < RULES_N / 32; w++) begin
            if (s_match[32*w +: 32] != '0) begin
              for (int i = 0; i < 32; i++) begin
                if (s_match[32*w + i]) begin
                  acc_p_d[(32*w + i)*PW +: PW] = acc_p_d[(32*w + i)*PW +: PW] + PW'(1);
                  acc_b_d[(32*w + i)*BW +: BW] = acc_b_d[(32*w + i)*BW +: BW] + BW'(s_bytes);
                end
              end
            end
          end
        end
      end
    end
  end else begin : g_next_synth
    always_comb begin : next_state
      logic [PW-1:0] ip;  // this cycle's increment of rule r
      logic [BW-1:0] ib;
      sacc_p_d = sacc_p_q;
      sacc_b_d = sacc_b_q;
      acc_p_d = acc_p_q;
      acc_b_d = acc_b_q;
      for (int r = 0; r < RULES_N; r++) begin
        ip = (s_valid && s_match[r]) ? PW'(1) : '0;
        ib = (s_valid && s_match[r]) ? BW'(s_bytes) : '0;
        if (snap_start) begin
          sacc_p_d[r*PW +: PW] = acc_p_q[r*PW +: PW];
          sacc_b_d[r*BW +: BW] = acc_b_q[r*BW +: BW];
          acc_p_d[r*PW +: PW]  = ip;
          acc_b_d[r*BW +: BW]  = ib;
        end else if (mode_q == FLUSH_E && ptr_q == RA'(r) && !clearing_q) begin
          // the old value is being flushed (not while clearing: the pointer rests on rule 0 then,
          // with no flush write, and replacing its count each cycle lost that rule's hits)
          acc_p_d[r*PW +: PW] = ip;
          acc_b_d[r*BW +: BW] = ib;
        end else begin
          acc_p_d[r*PW +: PW] = acc_p_q[r*PW +: PW] + ip;
          acc_b_d[r*BW +: BW] = acc_b_q[r*BW +: BW] + ib;
        end
      end
    end

  end

  always_ff @(posedge clk) begin
    acc_p_q  <= acc_p_d;
    acc_b_q  <= acc_b_d;
    sacc_p_q <= sacc_p_d;
    sacc_b_q <= sacc_b_d;
    // Reset in the register, not in next_state: then next_state depends on no top-level input and
    // the Verilated model evaluates it once per cycle, not on every eval() (docs/PERFORMANCE.md
    // "Simulation profile"). Per element: a '0 fill of the whole >8k-bit vector trips the
    // WIDTHCONCAT lint.
    if (rst) begin
      for (int r = 0; r < RULES_N; r++) begin
        acc_p_q[r*PW +: PW]  <= '0;
        acc_b_q[r*BW +: BW]  <= '0;
        sacc_p_q[r*PW +: PW] <= '0;
        sacc_b_q[r*BW +: BW] <= '0;
      end
    end
  end

  // ---------------------------------------------------------------- flush / snapshot engine
  (* ram_style = "block" *) logic [127:0] tot_mem  [RULES_N];  // {bytes, packets}
  (* ram_style = "block" *) logic [127:0] snap_mem [RULES_N];
  logic [127:0] tot_rd_q;
  logic         wr_q, wr_snap_q;
  logic [RA-1:0] wr_ptr_q;
  logic [PW-1:0] add_p_q;
  logic [BW-1:0] add_b_q;
  logic [RA-1:0] clr_ptr_q;
  logic          done_pre_q;  // the walk's last read; its write lands next cycle

  always_ff @(posedge clk) begin
    // stage 1: read the total, capture what to add
    tot_rd_q  <= tot_mem[ptr_q];
    wr_q      <= !clearing_q && !snap_start;
    wr_snap_q <= mode_q == SNAP_E;
    wr_ptr_q  <= ptr_q;
    add_p_q   <= mode_q == SNAP_E ? sacc_p_q[ptr_q*PW +: PW] : acc_p_q[ptr_q*PW +: PW];
    add_b_q   <= mode_q == SNAP_E ? sacc_b_q[ptr_q*BW +: BW] : acc_b_q[ptr_q*BW +: BW];
  end

  // stage 2: write the sum back (and into the snapshot). One write port per RAM (the clearing
  // after reset shares it): with a second write port neither RAM fits a block RAM and Yosys built
  // both from flip-flops (85 K FFs at 10g, docs/HARDWARE.md). The flush never writes while
  // clearing, except in the first cycle of a reset, whose clearing walk zeroes that word anyway.
  wire logic         wr_any  = clearing_q || wr_q;
  wire logic [RA-1:0] wr_addr = clearing_q ? clr_ptr_q : wr_ptr_q;
  wire logic [127:0] wr_data = clearing_q ? '0 :
                               {tot_rd_q[127:64] + 64'(add_b_q), tot_rd_q[63:0] + 64'(add_p_q)};
  always_ff @(posedge clk) begin
    if (wr_any) tot_mem[wr_addr] <= wr_data;
    if (wr_any && (clearing_q || wr_snap_q)) snap_mem[wr_addr] <= wr_data;
  end

  always_ff @(posedge clk) begin
    done_pre_q <= 1'b0;
    snap_done  <= done_pre_q;
    if (snap_req) snap_pend_q <= 1'b1;
    if (snap_start) snap_pend_q <= 1'b0;
    if (clearing_q) begin
      clr_ptr_q <= clr_ptr_q + 1'b1;
      if (clr_ptr_q == RA'(RULES_N - 1)) clearing_q <= 1'b0;
    end else if (snap_start) begin
      mode_q <= SNAP_E;
      ptr_q  <= '0;
    end else begin
      ptr_q <= ptr_q + 1'b1;
      if (mode_q == SNAP_E && ptr_q == RA'(RULES_N - 1)) begin
        mode_q     <= FLUSH_E;
        done_pre_q <= 1'b1;  // the last snapshot word is written at the next edge
      end
    end
    if (rst) begin
      mode_q     <= FLUSH_E;
      ptr_q      <= '0;
      clearing_q <= 1'b1;
      clr_ptr_q  <= '0;
      snap_pend_q <= 1'b0;
      snap_done  <= 1'b0;
      done_pre_q <= 1'b0;
    end
  end

  assign snap_busy = mode_q == SNAP_E || done_pre_q || clearing_q || snap_pend_q;

  // ---------------------------------------------------------------- snapshot reads
  logic [127:0] snap_rd_q;
  logic [1:0]   rd_word_q;
  always_ff @(posedge clk) begin
    rd_valid  <= rd_en;
    snap_rd_q <= snap_mem[rd_addr[RAW-1:2]];
    rd_word_q <= rd_addr[1:0];
    if (rst) rd_valid <= 1'b0;
  end
  always_comb begin
    case (rd_word_q)
      2'd0:    rd_data = snap_rd_q[31:0];
      2'd1:    rd_data = snap_rd_q[63:32];
      2'd2:    rd_data = snap_rd_q[95:64];
      default: rd_data = snap_rd_q[127:96];
    endcase
  end

  assign snap_take = snap_start;

  // Every snapshot starts in FLUSH mode, after the clearing.
  `DEJFA_ASSERT(SnapStartsInFlush_A, !(snap_start && (mode_q == SNAP_E || clearing_q)), clk, rst)

endmodule

`resetall
`default_nettype wire
