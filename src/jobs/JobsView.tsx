/**
 * The Jobs panel's React tree: the jobs, the last message, then the selected job.
 */
import React from 'react';

import { Messages, PanelLoading } from '../components/Messages';
import { JobList } from './JobList';
import { IJobActions, JobView } from './JobView';
import { JobsModel, PAGE_SIZE } from './model';

export function JobsView(
  props: IJobActions & { model: JobsModel }
): JSX.Element {
  const { model } = props;
  if (!model.loaded || !model.list) {
    return <PanelLoading error={model.error} />;
  }
  return (
    <div className="jp-mlops-panel-body">
      <JobList
        list={model.list}
        search={model.search}
        page={model.page}
        pageSize={PAGE_SIZE}
        selected={model.name}
        onSearch={search => void model.setSearch(search)}
        onSelect={name => void model.selectJob(name)}
        onPage={page => void model.goToPage(page)}
      />
      <Messages error={model.error} notice={model.notice} />
      {model.name && <JobView {...props} />}
    </div>
  );
}
