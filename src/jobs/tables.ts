export interface JobsTables {
  /**
   * Leases: one runner at a time for each periodic job, across instances. `fence` grows at
   * every change of holder, so work done under an expired lease can be told apart.
   */
  leases: { name: string; holder: string; expires_at: number; fence: number };
}
