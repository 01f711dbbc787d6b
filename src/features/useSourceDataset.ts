/**
 * The datasets a view may read (the DataFrame datasets of the Datasets list) and the
 * versions of the one picked, each with its manifest's columns. An older answer never
 * overwrites the answer for the dataset picked since.
 */
import { useEffect, useState } from 'react';

import { api, DatasetDetail } from '../api/client';
import { errorMessage } from '../api/request';

/** At most this many datasets are offered (the list's largest page). */
const DATASETS = 500;

export interface ISourceDataset {
  /** Names of the DataFrame datasets; null until they arrive. */
  names: string[] | null;
  /** The picked dataset's versions, newest first; null until they arrive. */
  detail: DatasetDetail | null;
}

export function useSourceDataset(
  dataset: string,
  onError: (message: string) => void
): ISourceDataset {
  const [names, setNames] = useState<string[] | null>(null);
  const [detail, setDetail] = useState<DatasetDetail | null>(null);
  useEffect(() => {
    let live = true;
    api.datasets.list({ page_size: DATASETS }).then(
      found =>
        live &&
        setNames(
          found.datasets
            .filter(d => d.latest?.manifest.kind === 'dataframe')
            .map(d => d.name)
        ),
      e => {
        if (live) {
          setNames([]);
          onError(errorMessage(e));
        }
      }
    );
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    let live = true;
    setDetail(null);
    if (dataset) {
      api.datasets.get(dataset).then(
        found => live && setDetail(found),
        e => live && onError(errorMessage(e))
      );
    }
    return () => {
      live = false;
    };
  }, [dataset]);
  return { names, detail };
}
