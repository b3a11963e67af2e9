/** How the read of one cluster went this pass. */
export type ClusterReadOutcome = {ok: true} | {ok: false; code: string; message: string};
