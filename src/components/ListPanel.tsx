/**
 * The body of every side panel that lists named things by page (datasets, jobs,
 * monitors): "Loading…" until the first page, then the page of names, the last message
 * and what the panel shows of the selected one.
 */
import React from 'react';

import { Messages, PanelLoading } from './Messages';
import { IListPageProps } from './NameList';
import { IListPage, PagedListModel } from './PagedListModel';

export interface IListPanelProps<L extends IListPage> {
  model: PagedListModel<L, string>;
  /** The panel's list: one page of names, with what each shows beside its name. */
  List: (props: IListPageProps<L>) => JSX.Element;
  onSelect: (name: string) => void;
  /** Whether the last message shows under the list (false: the selection shows it). */
  messages?: boolean;
  /** What the panel shows under the list (the selected item). */
  children?: React.ReactNode;
}

export function ListPanel<L extends IListPage>(
  props: IListPanelProps<L>
): JSX.Element {
  const { model, List } = props;
  if (!model.loaded || !model.list) {
    return <PanelLoading error={model.error} />;
  }
  const page: IListPageProps<L> = {
    list: model.list,
    search: model.search,
    page: model.page,
    pageSize: model.pageSize,
    selected: model.name,
    onSearch: search => void model.setSearch(search),
    onSelect: props.onSelect,
    onPage: page => void model.goToPage(page)
  };
  return (
    <div className="jp-mlops-panel-body">
      <List {...page} />
      {props.messages !== false && (
        <Messages error={model.error} notice={model.notice} />
      )}
      {props.children}
    </div>
  );
}
