//! Rodas4: a linearly implicit (Rosenbrock) method for stiff systems, hand-written on
//! fixed-capacity arrays so that a step allocates nothing.
//!
//! Method: RODAS4 of Hairer & Wanner (*Solving Ordinary Differential Equations II*, 2nd ed.,
//! Springer 1996, §IV.7, Table 7.2 and the code `rodas.f`): 6 stages, order 4 with an
//! embedded order-3 solution, L-stable and stiffly accurate, with an order-3 dense output.
//! Coefficients in the transformed form of `rodas.f` (as in OrdinaryDiffEq.jl's
//! `Rodas4Tableau`). Each stage solves
//!
//! ```text
//! (I/(hγ) − J)·k_i = f(t + α_i h, y + Σ_j a_ij k_j) + Σ_j (c_ij/h)·k_j + h·γ_i·∂f/∂t
//! ```
//!
//! with one LU factorisation of the n×n matrix per step and the Jacobian J = ∂f/∂y at the
//! start of the step.
//!
//! The Jacobian is the model's own right-hand side differenced (forward differences):
//! the engine needs nothing more from a [`crate::Model`] than for Dopri5. Its sparsity is
//! learnt from full differences (one RHS call per state) and then used to difference
//! structurally independent columns together (Curtis, Powell & Reid, *J. Inst. Maths
//! Applics* 1974;13:117), so a Jacobian of the 12-state HPG system costs about 6 RHS
//! calls instead of 13. Because a dependency may be zero where it was sampled (a branch
//! not taken), every segment starts with a full Jacobian, a rejected step after a
//! compressed Jacobian is retried with a full one, and the pattern only ever grows.
//!
//! The same pattern plans a sparse LU of I/(hγ) − J ([`SparsePlan`]: Markowitz order,
//! fill-in, index lists), so a step factorises and solves on the structural non-zeros
//! only (for the HPG system with one drug: 14 entries below the diagonal and 12 above,
//! against 78 each for a dense 13×13 LU), with the dense LU with partial pivoting as the
//! fallback whenever a pivot fails the threshold test.

use super::{Counters, Failure, Grid, Rhs, Tolerances};

/// Coefficients of RODAS4 (Hairer & Wanner 1996, `rodas.f`, `COEFFS = 1`).
mod tab {
    pub const GAMMA: f64 = 0.25;
    pub const A: [[f64; 5]; 5] = [
        [0.0; 5],
        [1.544, 0.0, 0.0, 0.0, 0.0],
        [
            0.946_678_528_081_582_6,
            0.255_701_169_898_328_4,
            0.0,
            0.0,
            0.0,
        ],
        [
            3.314_825_187_068_521,
            2.896_124_015_972_201,
            0.998_641_901_997_781_7,
            0.0,
            0.0,
        ],
        [
            1.221_224_509_226_641,
            6.019_134_481_288_629,
            12.537_083_329_320_87,
            -0.687_886_036_105_895,
            0.0,
        ],
    ];
    pub const C: [[f64; 5]; 6] = [
        [0.0; 5],
        [-5.668_8, 0.0, 0.0, 0.0, 0.0],
        [
            -2.430_093_356_833_875,
            -0.206_359_915_709_191_5,
            0.0,
            0.0,
            0.0,
        ],
        [
            -0.107_352_905_815_137_5,
            -9.594_562_251_023_355,
            -20.470_286_148_096_16,
            0.0,
            0.0,
        ],
        [
            7.496_443_313_967_647,
            -10.246_804_314_643_52,
            -33.999_903_528_199_05,
            11.708_908_932_061_6,
            0.0,
        ],
        [
            8.083_246_795_921_522,
            -7.981_132_988_064_893,
            -31.521_594_328_743_71,
            16.319_305_431_231_36,
            -6.058_818_238_834_054,
        ],
    ];
    /// Stage times α_i (stages 5 and 6 at t + h).
    pub const ALPHA: [f64; 6] = [0.0, 0.386, 0.21, 0.63, 1.0, 1.0];
    /// γ_i of the ∂f/∂t term (0 for stages 5 and 6).
    pub const D: [f64; 4] = [0.25, -0.1043, 0.1035, -0.036_200_000_000_000_23];
    /// Dense output: y(θ) = (1−θ)·y0 + θ·(y1 + (1−θ)·(q1 + θ·q2)), q = Σ H_i k_i.
    pub const H: [[f64; 5]; 2] = [
        [
            10.126_235_083_445_86,
            -7.487_995_877_610_167,
            -34.800_918_615_557_47,
            -7.992_771_707_568_823,
            1.025_137_723_295_662,
        ],
        [
            -0.676_280_339_280_125_3,
            6.087_714_651_680_015,
            16.430_843_208_924_78,
            24.767_225_114_183_86,
            -6.594_389_125_716_872,
        ],
    ];
}

/// What the solver carries from one dose segment to the next of the same run: the learnt
/// Jacobian sparsity and the step size that the last segment's first step wanted.
#[derive(Debug, Clone)]
pub(crate) struct Memory {
    /// Per column, the rows seen non-zero (bit i = row i).
    pattern: [u64; 64],
    /// Column groups differenced together (bit j = column j).
    groups: [u64; 64],
    n_groups: usize,
    /// Whether ∂f/∂t has been non-zero at some full Jacobian (a time-dependent RHS).
    time_dependent: bool,
    known: bool,
    /// Full Jacobians in a row that found no new dependency.
    settled: u32,
    first_h: Option<f64>,
    /// Elimination plan of the sparse LU for the current pattern.
    plan: SparsePlan,
}

impl Default for Memory {
    fn default() -> Self {
        Memory {
            pattern: [0; 64],
            groups: [0; 64],
            n_groups: 0,
            time_dependent: false,
            known: false,
            settled: 0,
            first_h: None,
            plan: SparsePlan::default(),
        }
    }
}

impl Memory {
    /// Greedy colouring of the columns (in order) by disjoint row sets.
    fn recolor(&mut self, n: usize) {
        let mut rows_of_group = [0u64; 64];
        self.n_groups = 0;
        self.groups = [0; 64];
        for j in 0..n {
            let rows = self.pattern[j];
            let g = (0..self.n_groups)
                .find(|&g| rows_of_group[g] & rows == 0)
                .unwrap_or_else(|| {
                    self.n_groups += 1;
                    self.n_groups - 1
                });
            rows_of_group[g] |= rows;
            self.groups[g] |= 1 << j;
        }
        self.plan.build(n, &self.pattern);
    }
}

/// Capacity of the flattened index lists of [`SparsePlan`]: the strict lower (or upper)
/// triangle of a dense `MAX_STATES`² matrix.
const LIST_CAP: usize = super::MAX_STATES * (super::MAX_STATES - 1) / 2;

/// A sparse LU factorisation of W = I/(hγ) − J on a fixed elimination order, planned once
/// per Jacobian sparsity pattern (symbolic phase) and replayed at every step (numeric
/// phase) on the dense array, touching only the structural non-zeros of the factors.
///
/// The pivots are the diagonal entries, in the order chosen by Markowitz's rule (at each
/// stage the pivot with the fewest (row count − 1)·(column count − 1) of the remaining
/// submatrix, which minimises fill-in greedily; Markowitz, *Management Science*
/// 1957;3:255; Duff, Erisman & Reid, *Direct Methods for Sparse Matrices*, Oxford 1986,
/// §7.2). The diagonal of W is 1/(hγ) − ∂f_i/∂y_i, dominated by 1/(hγ) at small steps
/// and by the states' own elimination rates at large ones; still, no pivot is trusted
/// blindly: each must pass the threshold test of threshold partial pivoting with u = 0.1
/// (|pivot| ≥ u · the largest entry below it in its column; Duff, Erisman & Reid §5.4),
/// and a step whose pivots fail it is factorised by the dense LU with partial pivoting
/// instead (counted nowhere; it only costs time). The test is made on W in the units of
/// the error norm, D⁻¹·W·D with D = diag(atol + rtol·|y_i|) (a similarity transform: the
/// same pivots, and the same test whatever unit a state is kept in); in raw units a depot
/// in mg feeding a concentration in ng/dL through a factor 10⁵/V would fail it for no
/// numerical reason.
#[derive(Debug, Clone)]
struct SparsePlan {
    /// 0: no plan yet (the pattern is unknown).
    n: usize,
    /// Entries of L below the diagonal (length of `forward`).
    n_lower: usize,
    /// Pivot (row = column) of elimination stage k.
    order: [u8; super::MAX_STATES],
    /// Stage k's rows below the pivot: `lower[lower_start[k]..lower_start[k + 1]]`.
    lower_start: [u16; super::MAX_STATES + 1],
    lower: [u8; LIST_CAP],
    /// Stage k's columns right of the pivot: `upper[upper_start[k]..upper_start[k + 1]]`.
    upper_start: [u16; super::MAX_STATES + 1],
    upper: [u8; LIST_CAP],
    /// Forward substitution, in order: (row i, pivot r) for b_i −= L_ir·b_r.
    forward: [(u8, u8); LIST_CAP],
    /// Back substitution, stages in reverse: the pivot row, its number of columns right
    /// of the pivot, and those columns (concatenated).
    back_row: [(u8, u8); super::MAX_STATES],
    back_cols: [u8; LIST_CAP],
}

impl Default for SparsePlan {
    fn default() -> Self {
        SparsePlan {
            n: 0,
            n_lower: 0,
            order: [0; super::MAX_STATES],
            lower_start: [0; super::MAX_STATES + 1],
            lower: [0; LIST_CAP],
            upper_start: [0; super::MAX_STATES + 1],
            upper: [0; LIST_CAP],
            forward: [(0, 0); LIST_CAP],
            back_row: [(0, 0); super::MAX_STATES],
            back_cols: [0; LIST_CAP],
        }
    }
}

impl SparsePlan {
    /// Symbolic phase: the Markowitz order and the fill-in of W's pattern (J's pattern
    /// plus the diagonal); `pattern[j]` holds the rows of column j.
    fn build(&mut self, n: usize, pattern: &[u64; 64]) {
        // rows[i]: the columns of row i of the (filling) pattern
        let mut rows = [0u64; 64];
        for (j, &col) in pattern.iter().enumerate().take(n) {
            let mut bits = col;
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                rows[i] |= 1 << j;
            }
        }
        for (i, r) in rows.iter_mut().enumerate().take(n) {
            *r |= 1 << i;
        }
        let mut remaining: u64 = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        let (mut nl, mut nu) = (0usize, 0usize);
        for k in 0..n {
            // Markowitz count of each remaining diagonal pivot
            let mut best = (u32::MAX, 0usize);
            let mut cand = remaining;
            while cand != 0 {
                let p = cand.trailing_zeros() as usize;
                cand &= cand - 1;
                let r_count = (rows[p] & remaining).count_ones() - 1;
                let c_count = (0..n)
                    .filter(|&i| remaining >> i & 1 == 1 && rows[i] >> p & 1 == 1)
                    .count() as u32
                    - 1;
                let cost = r_count * c_count;
                if cost < best.0 {
                    best = (cost, p);
                }
            }
            let p = best.1;
            remaining &= !(1 << p);
            self.order[k] = p as u8;
            let right = rows[p] & remaining;
            self.lower_start[k] = nl as u16;
            self.upper_start[k] = nu as u16;
            let mut bits = right;
            while bits != 0 {
                let c = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                self.upper[nu] = c as u8;
                nu += 1;
            }
            for (i, row) in rows.iter_mut().enumerate().take(n) {
                if remaining >> i & 1 == 1 && *row >> p & 1 == 1 {
                    self.lower[nl] = i as u8;
                    nl += 1;
                    *row |= right; // fill-in
                }
            }
        }
        self.lower_start[n] = nl as u16;
        self.upper_start[n] = nu as u16;
        self.n = n;
        for k in 0..n {
            let r = self.order[k];
            for x in self.lower_start[k]..self.lower_start[k + 1] {
                self.forward[x as usize] = (self.lower[x as usize], r);
            }
        }
        let mut m = 0;
        for (slot, k) in (0..n).rev().enumerate() {
            let (a, b) = (
                self.upper_start[k] as usize,
                self.upper_start[k + 1] as usize,
            );
            self.back_row[slot] = (self.order[k], (b - a) as u8);
            self.back_cols[m..m + b - a].copy_from_slice(&self.upper[a..b]);
            m += b - a;
        }
        self.n_lower = nl;
    }
}

type Vec_<const N: usize> = [f64; N];

#[inline]
fn eval<const N: usize>(
    sys: &dyn Rhs,
    n: usize,
    t: f64,
    y: &Vec_<N>,
    out: &mut Vec_<N>,
    c: &mut Counters,
) {
    c.rhs_evals += 1;
    sys.eval(t, &y[..n], &mut out[..n]);
}

/// Dense LU with partial pivoting of the whole N×N block. The padded rows and columns
/// (beyond the state dimension) hold the identity scaled by 1/(hγ), so they cost a few
/// multiplications by zero and keep every loop bound a compile-time constant, which the
/// compiler unrolls and vectorises.
struct Lu<const N: usize> {
    a: [[f64; N]; N],
    piv: [usize; N],
    /// Factorised by [`SparsePlan`] (else dense with `piv`); then `inv_diag` holds the
    /// pivots' reciprocals.
    sparse: bool,
    inv_diag: [f64; N],
}

/// Threshold of the pivot test of the sparse LU (see [`SparsePlan`]).
const PIVOT_THRESHOLD: f64 = 0.1;

impl<const N: usize> Lu<N> {
    /// Numeric phase of the sparse LU on `plan`; false (and `a` spoilt) if a pivot fails
    /// the threshold test or is not finite.
    fn factor_sparse(&mut self, plan: &SparsePlan, weight: &Vec_<N>) -> bool {
        for k in 0..plan.n {
            let r = plan.order[k] as usize;
            let piv = self.a[r][r];
            let lower = &plan.lower[plan.lower_start[k] as usize..plan.lower_start[k + 1] as usize];
            let upper = &plan.upper[plan.upper_start[k] as usize..plan.upper_start[k + 1] as usize];
            // the column in weighted units (see the threshold test of SparsePlan)
            let mut col_max = 0.0f64;
            for &i in lower {
                col_max = col_max.max(self.a[i as usize][r].abs() * weight[i as usize]);
            }
            let piv_w = piv.abs() * weight[r];
            // also rejects a zero or non-finite pivot
            if !(piv_w >= PIVOT_THRESHOLD * col_max && piv_w > 0.0 && piv.is_finite()) {
                return false;
            }
            let inv = 1.0 / piv;
            self.inv_diag[r] = inv;
            for &i in lower {
                let i = i as usize;
                let l = self.a[i][r] * inv;
                self.a[i][r] = l;
                for &c in upper {
                    let c = c as usize;
                    self.a[i][c] -= l * self.a[r][c];
                }
            }
        }
        self.sparse = true;
        true
    }

    /// Solve with the factors of [`Lu::factor_sparse`].
    // not inlined into the stage loop: measured 0.2 % fewer instructions this way
    #[inline(never)]
    fn solve_sparse(&self, plan: &SparsePlan, b: &mut Vec_<N>) {
        for &(i, r) in &plan.forward[..plan.n_lower] {
            let (i, r) = (i as usize, r as usize);
            b[i] -= self.a[i][r] * b[r];
        }
        let mut m = 0;
        for &(r, count) in &plan.back_row[..plan.n] {
            let r = r as usize;
            let row = &self.a[r];
            let mut s = b[r];
            for &c in &plan.back_cols[m..m + count as usize] {
                s -= row[c as usize] * b[c as usize];
            }
            m += count as usize;
            b[r] = s * self.inv_diag[r];
        }
    }

    fn factor(&mut self) -> bool {
        self.sparse = false;
        for k in 0..N {
            let mut p = k;
            let mut best = self.a[k][k].abs();
            for i in k + 1..N {
                let v = self.a[i][k].abs();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            if best == 0.0 || !best.is_finite() {
                return false;
            }
            self.piv[k] = p;
            self.a.swap(p, k);
            let rk = self.a[k];
            let inv = 1.0 / rk[k];
            for i in k + 1..N {
                let l = self.a[i][k] * inv;
                self.a[i][k] = l;
                if l != 0.0 {
                    let ri = &mut self.a[i];
                    for c in k + 1..N {
                        ri[c] -= l * rk[c];
                    }
                }
            }
        }
        true
    }

    #[inline]
    fn solve(&self, plan: &SparsePlan, b: &mut Vec_<N>) {
        if self.sparse {
            self.solve_sparse(plan, b);
            return;
        }
        for k in 0..N {
            b.swap(k, self.piv[k]);
        }
        for i in 1..N {
            let r = &self.a[i];
            let mut s = 0.0;
            for c in 0..i {
                s += r[c] * b[c];
            }
            b[i] -= s;
        }
        for i in (0..N).rev() {
            let r = &self.a[i];
            let mut s = 0.0;
            for c in i + 1..N {
                s += r[c] * b[c];
            }
            b[i] = (b[i] - s) / r[i];
        }
    }
}

/// Full Jacobians without a new dependency after which a segment starts with the grouped
/// one: the pattern is then taken as known, and a rejected step after a grouped Jacobian
/// still redoes it in full (and resets the count if that finds a new dependency). Saves
/// ~7 of ~125 RHS calls per weekly segment of the HPG axis.
const SETTLED: u32 = 3;

/// Forward-difference increment for a state value.
#[inline]
fn delta(v: f64) -> f64 {
    1.5e-8 * v.abs().max(1e-5)
}

/// Integrate `sys` from `t0` to `t1` with RODAS4 (see the module docs); `y` becomes the
/// exact end state, grid points strictly inside are emitted from the dense output.
#[allow(clippy::too_many_arguments)]
pub(crate) fn integrate<const N: usize>(
    sys: &dyn Rhs,
    tol: &Tolerances,
    t0: f64,
    t1: f64,
    y_io: &mut [f64],
    grid: Option<Grid>,
    emit: &mut dyn FnMut(usize, &[f64]),
    counters: &mut Counters,
    mem: &mut Memory,
) -> Result<(), Failure> {
    let n = y_io.len();
    let mut y = [0.0; N];
    y[..n].copy_from_slice(y_io);
    let mut f0 = [0.0; N];
    eval(sys, n, t0, &y, &mut f0, counters);
    let span = t1 - t0;
    let h_max = tol.max_step_h.map_or(span, |h| h.min(span));
    let mut h = initial_step(sys, n, tol, t0, &y, &f0, counters)
        .max(mem.first_h.unwrap_or(0.0))
        .min(h_max);
    // J = ∂f/∂y (row-major) and ∂f/∂t; padded entries stay zero
    let mut jac = [[0.0; N]; N];
    let mut ft = [0.0; N];
    let mut lu = Lu::<N> {
        a: [[0.0; N]; N],
        piv: [0; N],
        sparse: false,
        inv_diag: [0.0; N],
    };
    let mut k = [[0.0; N]; 6];
    let mut next = 0usize; // index into the grid
    let count = grid.map_or(0, |g| g.count);
    let mut t = t0;
    let mut first = true;
    let mut need_jac = true;
    // full differences at the first Jacobian of a segment, until the pattern has come out
    // the same SETTLED times in a row (then a rejected step still asks for one)
    let mut full = mem.settled < SETTLED;
    let mut compressed = false; // the current Jacobian came from grouped differences
    let mut fac_max = 6.0;
    let mut steps = 0u32;
    let eps_end = 1e-12 * t1.abs().max(1.0);
    let inv_n = 1.0 / n as f64;
    let mut u = [0.0; N];
    let mut fu = [0.0; N];
    let mut y1 = [0.0; N];
    while t < t1 - eps_end {
        if steps >= tol.max_steps {
            y_io.copy_from_slice(&y[..n]);
            return Err(Failure::MaxSteps { t_h: t });
        }
        steps += 1;
        // the last step of the segment: also when a step up to 10 % longer reaches the
        // end (instead of a sliver of a step after it)
        let last = t + 1.1 * h >= t1 - 1e-9 * span.max(1e-9);
        if last {
            h = t1 - t;
        }
        if need_jac {
            compressed = !full && mem.known;
            jacobian(
                sys, n, t, &y, &f0, &mut jac, &mut ft, mem, compressed, counters,
            );
            counters.jacobian_evals += 1;
            need_jac = false;
            full = false;
        }
        let diag = 1.0 / (h * tab::GAMMA);
        assemble_w(&mut lu.a, &jac, diag);
        counters.lu_decompositions += 1;
        let sparse_ok = mem.plan.n == n && {
            let mut weight = [1.0; N];
            for (w, yi) in weight.iter_mut().zip(&y[..n]) {
                *w = 1.0 / (tol.atol + tol.rtol * yi.abs());
            }
            lu.factor_sparse(&mem.plan, &weight) || {
                // a pivot failed the threshold test: dense LU with pivoting this step
                assemble_w(&mut lu.a, &jac, diag);
                false
            }
        };
        if !sparse_ok && !lu.factor() {
            // singular iteration matrix: try a smaller step
            counters.rejected_steps += 1;
            h *= 0.25;
            if h < 1e-10 * t.abs().max(1.0) {
                y_io.copy_from_slice(&y[..n]);
                return Err(Failure::StepSizeUnderflow { t_h: t });
            }
            continue;
        }
        let inv_h = 1.0 / h;
        // the stage sums in one pass over the states each (same order of additions as
        // one axpy per term; the number of terms is a compile-time constant per stage)
        let a = &tab::A;
        let c = |s: usize, j: usize| tab::C[s][j] * inv_h;
        for s in 0..6 {
            let mut r = if s == 0 {
                f0
            } else {
                match s {
                    1 => combine(&y, [a[1][0]], &k, &mut u),
                    2 => combine(&y, [a[2][0], a[2][1]], &k, &mut u),
                    3 => combine(&y, [a[3][0], a[3][1], a[3][2]], &k, &mut u),
                    4 => combine(&y, [a[4][0], a[4][1], a[4][2], a[4][3]], &k, &mut u),
                    // stage 6 at y + Σ a5j k_j + k5 (stiffly accurate form)
                    _ => combine(&y, [a[4][0], a[4][1], a[4][2], a[4][3], 1.0], &k, &mut u),
                }
                eval(sys, n, t + tab::ALPHA[s] * h, &u, &mut fu, counters);
                fu
            };
            if s < 4 && mem.time_dependent {
                axpy(h * tab::D[s], &ft, &mut r);
            }
            match s {
                0 => {}
                1 => accumulate(&mut r, [c(1, 0)], &k),
                2 => accumulate(&mut r, [c(2, 0), c(2, 1)], &k),
                3 => accumulate(&mut r, [c(3, 0), c(3, 1), c(3, 2)], &k),
                4 => accumulate(&mut r, [c(4, 0), c(4, 1), c(4, 2), c(4, 3)], &k),
                _ => accumulate(&mut r, [c(5, 0), c(5, 1), c(5, 2), c(5, 3), c(5, 4)], &k),
            }
            lu.solve(&mem.plan, &mut r);
            k[s] = r;
        }
        // y1 = y + Σ a5j k_j + k5 + k6; the error estimate is k6
        let mut sum = 0.0;
        let mut finite = true;
        for i in 0..N {
            y1[i] = u[i] + k[5][i];
        }
        for i in 0..n {
            let sc = tol.atol + tol.rtol * y[i].abs().max(y1[i].abs());
            let e = k[5][i] / sc;
            sum += e * e;
            finite &= y1[i].is_finite();
        }
        let err = (sum * inv_n).sqrt();
        if finite && err <= 1.0 {
            counters.accepted_steps += 1;
            let t_new = if last { t1 } else { t + h };
            // dense output for grid points strictly inside (t0, t1) that lie in (t, t_new]
            if let Some(g) = grid {
                let mut q = [[0.0; N]; 2];
                let mut have_q = false;
                while next < count {
                    let tg = g.first_h + g.step_h * next as f64;
                    if tg > t_new + 1e-9 * tg.abs().max(1.0) {
                        break;
                    }
                    if !have_q {
                        for (qi, hrow) in q.iter_mut().zip(&tab::H) {
                            for (kx, &hc) in k[..5].iter().zip(hrow) {
                                axpy(hc, kx, qi);
                            }
                        }
                        have_q = true;
                    }
                    let th = ((tg - t) * inv_h).clamp(0.0, 1.0);
                    let mut yg = [0.0; N];
                    for i in 0..N {
                        yg[i] = (1.0 - th) * y[i]
                            + th * (y1[i] + (1.0 - th) * (q[0][i] + th * q[1][i]));
                    }
                    emit(g.first_index + next, &yg[..n]);
                    next += 1;
                }
            }
            let fac = (0.9 * inv_fourth_root(err.max(1e-12))).clamp(0.2, fac_max);
            if first {
                // the step the next segment starts with, if this one was informative
                mem.first_h = Some(h * fac);
                first = false;
            }
            fac_max = 6.0;
            t = t_new;
            y = y1;
            if t < t1 - eps_end {
                eval(sys, n, t, &y, &mut f0, counters);
            }
            // a fresh Jacobian every step: Rodas4 is not a W-method, and keeping one for
            // 2 to 8 steps cost more (rejected) steps than it saved (docs/performance.md)
            need_jac = true;
            h = (h * fac).min(h_max);
        } else {
            counters.rejected_steps += 1;
            let fac = if err.is_finite() {
                (0.9 * inv_fourth_root(err)).clamp(0.1, 0.9)
            } else {
                0.1
            };
            h *= fac;
            fac_max = 1.0;
            if compressed {
                // the grouped Jacobian may have missed a dependency: redo it in full
                need_jac = true;
                full = true;
            }
            if h < 1e-10 * t.abs().max(1.0) {
                y_io.copy_from_slice(&y[..n]);
                return Err(Failure::StepSizeUnderflow { t_h: t });
            }
        }
    }
    y_io.copy_from_slice(&y[..n]);
    Ok(())
}

/// x^(−1/4) (the step-size factor of an order-4 method) by two square roots: the same
/// number as `powf(-0.25)` to rounding, at a fraction of the cost.
#[inline]
fn inv_fourth_root(x: f64) -> f64 {
    1.0 / x.sqrt().sqrt()
}

/// W = I·diag − J.
#[inline]
fn assemble_w<const N: usize>(w: &mut [[f64; N]; N], jac: &[[f64; N]; N], diag: f64) {
    for (i, (wr, jr)) in w.iter_mut().zip(jac).enumerate() {
        for (w, &j) in wr.iter_mut().zip(jr) {
            *w = -j;
        }
        wr[i] += diag;
    }
}

/// out = base + Σ_j c_j·k_j over the whole array, in one pass.
#[inline(always)]
fn combine<const N: usize, const M: usize>(
    base: &Vec_<N>,
    c: [f64; M],
    k: &[Vec_<N>; 6],
    out: &mut Vec_<N>,
) {
    for i in 0..N {
        let mut v = base[i];
        for j in 0..M {
            v += c[j] * k[j][i];
        }
        out[i] = v;
    }
}

/// acc += Σ_j c_j·k_j over the whole array, in one pass.
#[inline(always)]
fn accumulate<const N: usize, const M: usize>(acc: &mut Vec_<N>, c: [f64; M], k: &[Vec_<N>; 6]) {
    for (i, v) in acc.iter_mut().enumerate() {
        for j in 0..M {
            *v += c[j] * k[j][i];
        }
    }
}

/// y += a·x over the whole array (padded entries are zero in both).
#[inline]
fn axpy<const N: usize>(a: f64, x: &Vec_<N>, y: &mut Vec_<N>) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// J = ∂f/∂y (and ∂f/∂t) by forward differences at (t, y), f0 = f(t, y).
#[allow(clippy::too_many_arguments)]
fn jacobian<const N: usize>(
    sys: &dyn Rhs,
    n: usize,
    t: f64,
    y: &Vec_<N>,
    f0: &Vec_<N>,
    jac: &mut [[f64; N]; N],
    ft: &mut Vec_<N>,
    mem: &mut Memory,
    compressed: bool,
    counters: &mut Counters,
) {
    let mut yp = *y;
    let mut fp = [0.0; N];
    if compressed {
        for g in 0..mem.n_groups {
            let cols = mem.groups[g];
            let mut bits = cols;
            while bits != 0 {
                let j = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                yp[j] = y[j] + delta(y[j]);
            }
            eval(sys, n, t, &yp, &mut fp, counters);
            let mut bits = cols;
            while bits != 0 {
                let j = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let inv_d = 1.0 / (yp[j] - y[j]);
                // entries outside the pattern are zero already: a full Jacobian's are
                // exactly zero (else the pattern would hold them) and grouped ones only
                // ever write inside it, which only grows
                let mut rows = mem.pattern[j];
                while rows != 0 {
                    let i = rows.trailing_zeros() as usize;
                    rows &= rows - 1;
                    jac[i][j] = (fp[i] - f0[i]) * inv_d;
                }
                yp[j] = y[j];
            }
        }
    } else {
        let mut changed = !mem.known;
        for j in 0..n {
            yp[j] = y[j] + delta(y[j]);
            let d = yp[j] - y[j];
            eval(sys, n, t, &yp, &mut fp, counters);
            yp[j] = y[j];
            let mut rows = 0u64;
            for i in 0..n {
                let v = (fp[i] - f0[i]) / d;
                jac[i][j] = v;
                if v != 0.0 {
                    rows |= 1 << i;
                }
            }
            if rows & !mem.pattern[j] != 0 {
                mem.pattern[j] |= rows;
                changed = true;
            }
        }
        if changed {
            mem.recolor(n);
            mem.settled = 0;
        } else {
            mem.settled += 1;
        }
        mem.known = true;
        let dt = 1.5e-8 * t.abs().max(1.0);
        eval(sys, n, t + dt, y, &mut fp, counters);
        let mut any = false;
        for i in 0..n {
            ft[i] = (fp[i] - f0[i]) / dt;
            any |= ft[i] != 0.0;
        }
        mem.time_dependent |= any;
    }
    if compressed && mem.time_dependent {
        let dt = 1.5e-8 * t.abs().max(1.0);
        eval(sys, n, t + dt, y, &mut fp, counters);
        for i in 0..n {
            ft[i] = (fp[i] - f0[i]) / dt;
        }
    }
}

/// Initial step size (Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.4, algorithm of
/// `hinit`, for order 4): one extra RHS call.
fn initial_step<const N: usize>(
    sys: &dyn Rhs,
    n: usize,
    tol: &Tolerances,
    t: f64,
    y: &Vec_<N>,
    f0: &Vec_<N>,
    counters: &mut Counters,
) -> f64 {
    let sc = |i: usize| tol.atol + tol.rtol * y[i].abs();
    let rms =
        |v: &dyn Fn(usize) -> f64| ((0..n).map(|i| v(i).powi(2)).sum::<f64>() / n as f64).sqrt();
    let d0 = rms(&|i| y[i] / sc(i));
    let d1 = rms(&|i| f0[i] / sc(i));
    let h0 = if d0 < 1e-5 || d1 < 1e-5 {
        1e-6
    } else {
        0.01 * d0 / d1
    };
    let mut y1 = *y;
    axpy(h0, f0, &mut y1);
    let mut f1 = [0.0; N];
    eval(sys, n, t + h0, &y1, &mut f1, counters);
    let d2 = rms(&|i| (f1[i] - f0[i]) / sc(i)) / h0;
    let h1 = if d1.max(d2) <= 1e-15 {
        (h0 * 1e-3).max(1e-6)
    } else {
        (0.01 / d1.max(d2)).powf(0.25)
    };
    (100.0 * h0).min(h1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small linear congruential generator (Knuth's MMIX constants): reproducible
    /// matrices without a dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    const N: usize = 13;

    /// A random sparse J (pattern by column, as `Memory::pattern`) and W = d·I − J.
    fn random_w(rng: &mut Lcg, density: f64, d: f64) -> ([u64; 64], [[f64; N]; N]) {
        let mut pattern = [0u64; 64];
        let mut w = [[0.0; N]; N];
        for (i, row) in w.iter_mut().enumerate() {
            for (j, col) in pattern.iter_mut().enumerate().take(N) {
                if i == j || rng.next() < density {
                    let v = (rng.next() - 0.5) * 10.0;
                    *col |= 1 << i;
                    row[j] = -v;
                }
            }
            row[i] += d;
        }
        (pattern, w)
    }

    fn residual(w: &[[f64; N]; N], x: &[f64; N], b: &[f64; N]) -> f64 {
        (0..N)
            .map(|i| ((0..N).map(|j| w[i][j] * x[j]).sum::<f64>() - b[i]).abs())
            .fold(0.0, f64::max)
    }

    fn lu(a: [[f64; N]; N]) -> Lu<N> {
        Lu {
            a,
            piv: [0; N],
            sparse: false,
            inv_diag: [0.0; N],
        }
    }

    /// The sparse LU solves W·x = b to rounding (residual against W itself, not against
    /// the dense LU) whenever its pivots pass the threshold test, and for diagonally
    /// dominant W (small steps: 1/(hγ) large) they always do.
    #[test]
    fn sparse_lu_solves_random_sparse_systems() {
        let mut rng = Lcg(15);
        let mut passed = 0;
        for case in 0..400 {
            let d = if case % 2 == 0 {
                100.0
            } else {
                1.0 + 5.0 * rng.next()
            };
            let (pattern, w) = random_w(&mut rng, 0.2, d);
            let mut plan = SparsePlan::default();
            plan.build(N, &pattern);
            let mut b = [0.0; N];
            for v in &mut b {
                *v = rng.next() - 0.5;
            }
            let mut f = lu(w);
            if f.factor_sparse(&plan, &[1.0; N]) {
                passed += 1;
                let mut x = b;
                f.solve(&plan, &mut x);
                assert!(residual(&w, &x, &b) < 1e-12, "case {case}");
            } else {
                assert!(case % 2 == 1, "a diagonally dominant W failed the test");
            }
            // the dense LU with partial pivoting agrees
            let mut g = lu(w);
            assert!(g.factor());
            let mut x = b;
            g.solve(&plan, &mut x);
            assert!(residual(&w, &x, &b) < 1e-12, "case {case} (dense)");
        }
        assert!(passed >= 200, "{passed}");
    }

    /// A diagonal pivot far below an entry under it fails the threshold test (so the step
    /// falls back to partial pivoting); scaling that row's state by the error weights,
    /// which is what the test compares, decides.
    #[test]
    fn threshold_test_rejects_a_small_pivot_in_weighted_units() {
        // W = [[1e-6, 1], [1, 1]]: eliminating on the 1e-6 pivot would grow entries 1e6-fold
        let mut pattern = [0u64; 64];
        pattern[0] = 0b11;
        pattern[1] = 0b11;
        let mut plan = SparsePlan::default();
        plan.build(2, &pattern);
        let mut a = [[0.0; N]; N];
        a[0][0] = 1e-6;
        a[0][1] = 1.0;
        a[1][0] = 1.0;
        a[1][1] = 1.0;
        for (i, row) in a.iter_mut().enumerate().skip(2) {
            row[i] = 1.0;
        }
        // both pivots have the Markowitz count 1: the plan takes state 0 first
        assert_eq!(plan.order[0], 0);
        assert!(!lu(a).factor_sparse(&plan, &[1.0; N]));
        // the same matrix when state 0 is kept in a unit 1e7 times smaller: in the error
        // norm's units the pivot is as large as the entry below it, and it passes
        let mut weight = [1.0; N];
        weight[0] = 1e7;
        assert!(lu(a).factor_sparse(&plan, &weight));
    }
}
